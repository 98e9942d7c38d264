import Glibc

/// Where a command writes its result: a file (written to a temporary sibling, then renamed over the target, so a
/// failure never leaves half a file) or standard output for "-".
struct OutputFile {
    let path: String

    var isStandardOutput: Bool { path == "-" }

    /// Fails early, before any work, when the destination cannot be written.
    func checkWritable() throws(CLIError) {
        guard !isStandardOutput else { return }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let dirPath = directory.isEmpty ? "/" : directory
        if access(dirPath, W_OK) != 0 {
            throw CLIError("cannot write \(path): directory \(dirPath): \(String(cString: strerror(errno)))")
        }
        if access(path, F_OK) == 0, access(path, W_OK) != 0 {
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    func write(_ bytes: [UInt8]) throws(CLIError) {
        if isStandardOutput {
            let error = writeAll(bytes, to: STDOUT_FILENO)
            if error != 0 { throw CLIError("cannot write to standard output: \(String(cString: strerror(error)))") }
            return
        }
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let error = writeAll(bytes, to: fd)
        if error != 0 {
            close(fd)
            unlink(temporary)
            throw CLIError("cannot write \(path): \(String(cString: strerror(error)))")
        }
        if fsync(fd) != 0 || close(fd) != 0 || rename(temporary, path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw CLIError("cannot write \(path): \(message)")
        }
    }
}

/// Reads a whole file, or fails with one line saying why.
func readWholeFile(_ path: String) throws(CLIError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if count == 0 { return result }
        result.append(contentsOf: buffer[..<count])
    }
}
