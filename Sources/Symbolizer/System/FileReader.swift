import Glibc

/// Reads whole files with `open`/`read`, including procfs files whose reported size is zero.
enum FileReader {
    /// The bytes of the file at `path`, read to end of file.
    ///
    /// - Throws: ``SymbolizerError/Code/fileUnreadable`` with the failing call's errno.
    static func readAll(path: String, purpose: String) throws(SymbolizerError) -> [UInt8] {
        let opened = SystemCall.retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        let fd: Int32
        switch opened {
        case .success(let value): fd = value
        case .failure(let error):
            throw SymbolizerError(
                code: .fileUnreadable, message: "cannot open \(purpose) \(path)", errno: error.code)
        }
        defer { close(fd) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let result = chunk.withUnsafeMutableBytes { buffer in
                SystemCall.retryingEINTR { read(fd, buffer.baseAddress, buffer.count) }
            }
            switch result {
            case .success(0):
                return bytes
            case .success(let count):
                bytes.append(contentsOf: chunk[0..<count])
            case .failure(let error):
                throw SymbolizerError(
                    code: .fileUnreadable, message: "cannot read \(purpose) \(path)", errno: error.code)
            }
        }
    }

    /// The file at `path` decoded as UTF-8 (invalid sequences replaced).
    static func readText(path: String, purpose: String) throws(SymbolizerError) -> String {
        String(decoding: try readAll(path: path, purpose: purpose), as: UTF8.self)
    }
}
