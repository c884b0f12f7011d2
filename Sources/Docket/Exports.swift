@_exported import DocketCore
