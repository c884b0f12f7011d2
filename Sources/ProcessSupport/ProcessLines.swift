import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line straight to the standard output descriptor, for this package's executables (the
/// demo and the crash-test children): unbuffered, so that a parent reading the pipe sees each line as
/// it happens, even if the process is killed the next moment.
package func printLine(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

/// Reads `handle` (a child process's output pipe) to its end, calling `body` with each line as it
/// arrives, without its newline. Reading to the end matters after killing the child: lines it wrote
/// before it died are still in the pipe.
package func forEachLine(in handle: FileHandle, _ body: (String) -> Void) {
    var buffer = Data()
    while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        buffer.append(chunk)
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            body(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
    }
}
