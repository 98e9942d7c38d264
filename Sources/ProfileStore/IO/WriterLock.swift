import Glibc

/// The exclusive `flock` on `<store>/lock` that makes one `ProfileStore` the only writer of a directory.
///
/// The lock belongs to the open file description, so it conflicts with any other writer, in this process or another,
/// and the kernel releases it when the process dies (also on `kill -9`). The file holds the owner's pid as text, for
/// the message a second writer gets. Read-only stores never touch it.
final class WriterLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock without waiting.
    ///
    /// - Throws: ``StoreError/Code/locked`` naming the holder's pid when another writer has it, or the failing system
    ///   call.
    init(directory: String) throws(StoreError) {
        let path = directory + "/lock"
        let fd: Int32
        do {
            fd = try retryingEINTR("open", path: path) { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        } catch {
            throw .system(error, store: directory, while: "opening the writer lock \(path)")
        }
        do {
            _ = try retryingEINTR("flock", path: path) { flock(fd, LOCK_EX | LOCK_NB) }
        } catch {
            let holder = Self.holder(fd)
            close(fd)
            if error.errno == EWOULDBLOCK {
                let who = holder.map { "process \($0)" } ?? "another process"
                throw StoreError(
                    .locked,
                    "store \(directory): \(who) is already writing it (lock \(path)); only one writer at a time, "
                        + "open it read-only to query while the agent runs",
                    errno: error.errno, cause: error)
            }
            throw .system(error, store: directory, while: "locking \(path)")
        }
        descriptor = fd
        let pid = Array("\(getpid())\n".utf8)
        // The pid is informational: failing to record it (e.g. disk full) does not stop the writer.
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit {
        close(descriptor)
    }

    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer.prefix(n), as: UTF8.self)
        return Int32(text.split(whereSeparator: \.isWhitespace).first ?? "")
    }
}
