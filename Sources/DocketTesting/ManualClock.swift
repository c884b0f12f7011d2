import Docket
