import Glibc

/// Reads a file front to back in fixed-size chunks and hands out its lines, so a large procfs file
/// (`/proc/kallsyms` is several megabytes) is never held whole in memory.
///
/// Lines are passed without their `\n`; a last line without one is passed too. A line longer than the buffer
/// grows the buffer to hold it. The bytes passed to a `body` are valid only for the duration of that call.
enum LineChunkReader {
    /// Bytes read per `read` call.
    static let chunkSize = 64 * 1024

    /// Calls `body` with each line of the file at `path`, in order.
    ///
    /// - Throws: ``SymbolizerError/Code/fileUnreadable`` with the failing call's errno; lines before a failed
    ///   `read` have already been passed to `body`.
    static func forEachLine(
        path: String, purpose: String, chunkSize: Int = chunkSize, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws(SymbolizerError) {
        let opened = SystemCall.retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        let fd: Int32
        switch opened {
        case .success(let value): fd = value
        case .failure(let error):
            throw SymbolizerError(code: .fileUnreadable, message: "cannot open \(purpose) \(path)", errno: error.code)
        }
        defer { close(fd) }

        var buffer = [UInt8](repeating: 0, count: max(chunkSize, 1))
        // buffer[0..<pending] is the start of a line whose newline has not been read yet.
        var pending = 0
        while true {
            if pending == buffer.count {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let result = buffer.withUnsafeMutableBytes { bytes in
                let free = UnsafeMutableRawBufferPointer(rebasing: bytes[pending...])
                return SystemCall.retryingEINTR { read(fd, free.baseAddress, free.count) }
            }
            switch result {
            case .success(0):
                if pending > 0 {
                    buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<pending])) }
                }
                return
            case .success(let count):
                let filled = pending + count
                pending = buffer.withUnsafeMutableBufferPointer { bytes in
                    let consumed = forEachCompleteLine(in: UnsafeBufferPointer(rebasing: bytes[..<filled]), body)
                    let rest = filled - consumed
                    if consumed > 0, rest > 0, let base = bytes.baseAddress {
                        memmove(base, base + consumed, rest)
                    }
                    return rest
                }
            case .failure(let error):
                throw SymbolizerError(
                    code: .fileUnreadable, message: "cannot read \(purpose) \(path)", errno: error.code)
            }
        }
    }

    /// Calls `body` with each `\n`-terminated line in `bytes` (without the `\n`).
    ///
    /// - Returns: how many bytes were consumed: the index after the last `\n`, 0 when there is none.
    static func forEachCompleteLine(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var lineStart = 0
        while lineStart < bytes.count,
            let newline = memchr(base + lineStart, Int32(UInt8(ascii: "\n")), bytes.count - lineStart)
        {
            let lineEnd = UnsafeRawPointer(base).distance(to: newline)
            body(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
            lineStart = lineEnd + 1
        }
        return lineStart
    }
}
