print("docket-workloads: not yet implemented")
