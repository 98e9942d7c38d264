import Glibc

/// An open segment file: one file descriptor, closed when the last reference goes away.
///
/// Readers keep a `SegmentFile` while they read blocks, so a segment that compaction or retention replaces or deletes
/// stays readable through the old descriptor until the reader is done (POSIX keeps an unlinked file's data while a
/// descriptor refers to it). Positional I/O (`pread`/`pwrite`) makes concurrent use from several threads safe; only
/// the store's writer writes, and only to the open segment.
final class SegmentFile: Sendable {
    /// The segment's id, its number in the file name.
    let id: UInt64
    /// Absolute path the file was opened at; it may since have been renamed over or unlinked.
    let path: String
    /// Device and inode of the opened file.
    let identity: FileIdentity
    private let descriptor: Int32

    private init(id: UInt64, path: String, descriptor: Int32, identity: FileIdentity) {
        self.id = id
        self.path = path
        self.descriptor = descriptor
        self.identity = identity
    }

    deinit {
        close(descriptor)
    }

    /// Opens an existing segment for reading, and for writing unless `readOnly`.
    static func open(id: UInt64, path: String, readOnly: Bool) throws(SystemCallError) -> SegmentFile {
        let flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC
        let fd = try retryingEINTR("open", path: path) { Glibc.open(path, flags) }
        return try adopt(fd, id: id, path: path)
    }

    /// Creates a new file at `path`, which must not exist yet, for reading and writing.
    ///
    /// - Parameter finalPath: the path the caller will rename the file to; the handle reports it in errors.
    static func create(id: UInt64, path: String, finalPath: String) throws(SystemCallError) -> SegmentFile {
        let fd = try retryingEINTR("open", path: path) {
            Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        return try adopt(fd, id: id, path: finalPath)
    }

    private static func adopt(_ fd: Int32, id: UInt64, path: String) throws(SystemCallError) -> SegmentFile {
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw SystemCallError(call: "fstat", path: path, errno: code)
        }
        return SegmentFile(id: id, path: path, descriptor: fd, identity: FileIdentity(status))
    }

    /// The file's current size in bytes.
    func size() throws(SystemCallError) -> Int64 {
        var status = stat()
        _ = try retryingEINTR("fstat", path: path) { fstat(descriptor, &status) }
        return Int64(status.st_size)
    }

    /// Up to `count` bytes at `offset`; fewer only when the file ends first.
    func read(at offset: Int64, count: Int) throws(SystemCallError) -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(call: "pread", path: path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        if done < count { buffer.removeLast(count - done) }
        return buffer
    }

    /// Writes all of `bytes` at `offset`.
    ///
    /// - Throws: the first failing `pwrite`; some bytes may have been written before it (callers truncate them).
    func write(_ bytes: [UInt8], at offset: Int64) throws(SystemCallError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                pwrite(descriptor, raw.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(call: "pwrite", path: path, errno: errno)
            }
            // A regular file never accepts zero bytes of a nonzero write without an error; treat it as full.
            guard n > 0 else { throw SystemCallError(call: "pwrite", path: path, errno: ENOSPC) }
            done += n
        }
    }

    /// `fsync`: data and metadata reach stable storage.
    func sync() throws(SystemCallError) {
        _ = try retryingEINTR("fsync", path: path) { fsync(descriptor) }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int64) throws(SystemCallError) {
        _ = try retryingEINTR("ftruncate", path: path) { ftruncate(descriptor, off_t(length)) }
    }
}
