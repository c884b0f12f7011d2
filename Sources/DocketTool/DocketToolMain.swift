import DocketCommandLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum DocketToolMain {
    static func main() async {
        exit(await DocketTool.run(Array(CommandLine.arguments.dropFirst())))
    }
}
