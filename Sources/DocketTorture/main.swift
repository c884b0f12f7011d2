print("docket-torture: not yet implemented")
