import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's own line I/O, so that it reads as a program any Docket user could write: it uses
/// Docket's public API and nothing else of the package.
enum DemoOutput {
    /// Writes a line straight to standard output, unbuffered: the parent reading the child's pipe sees
    /// each line as it happens, even if the child is killed the next moment.
    static func line(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Reads `handle` to its end, calling `body` with each line, without its newline. Reading to the
    /// end matters after killing the child: lines it wrote before it died are still in the pipe.
    static func forEachLine(in handle: FileHandle, _ body: (String) -> Void) {
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
}
