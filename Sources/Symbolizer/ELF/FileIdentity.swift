import Glibc

/// Identifies a file's contents cheaply, from `stat(2)`: the same file through any path (hard links,
/// `/proc/PID/root/...`) has the same identity, and a file rewritten in place gets a new one.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modificationSeconds: Int
    var modificationNanoseconds: Int

    /// The identity of the file `path` names (following symbolic links), or the `stat` errno.
    static func of(path: String) -> Result<FileIdentity, SystemCall.Errno> {
        var info = stat()
        return SystemCall.retryingEINTR { stat(path, &info) }.map { _ in
            FileIdentity(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                modificationSeconds: Int(info.st_mtim.tv_sec), modificationNanoseconds: Int(info.st_mtim.tv_nsec))
        }
    }
}
