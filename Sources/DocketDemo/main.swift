print("docket demo")
