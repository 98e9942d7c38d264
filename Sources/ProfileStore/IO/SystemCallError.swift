import Glibc

/// A failed system call: which call, on which path, and the `errno` it set.
///
/// Internal: the store turns it into a ``StoreError`` with ``StoreError/system(_:store:while:consequence:)``, which
/// adds what the store was doing and what that means for the caller.
struct SystemCallError: Error, CustomStringConvertible {
    /// The call, e.g. `pwrite`.
    var call: String
    /// The file or directory the call worked on.
    var path: String
    /// The `errno` value.
    var errno: Int32

    /// `pwrite /dir/segments/00000001.seg: No space left on device (ENOSPC)`.
    var description: String {
        "\(call) \(path): \(Errno.text(errno)) (\(Errno.name(errno)))"
    }
}

/// Runs an errno-returning call, retrying while it fails with EINTR.
///
/// - Returns: the call's non-negative result.
/// - Throws: ``SystemCallError`` with the call's `errno` when it returns a negative value.
@inline(__always)
func retryingEINTR<Result: BinaryInteger>(
    _ call: String, path: String, _ body: () -> Result
) throws(SystemCallError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemCallError(call: call, path: path, errno: code)
    }
}

/// Names and texts of `errno` values, for messages.
enum Errno {
    /// The symbolic name of `code`, e.g. `ENOSPC`; `errno N` for codes without a listed name.
    static func name(_ code: Int32) -> String {
        switch code {
        case ENOSPC: "ENOSPC"
        case EDQUOT: "EDQUOT"
        case EROFS: "EROFS"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case EIO: "EIO"
        case ENOENT: "ENOENT"
        case EEXIST: "EEXIST"
        case EBADF: "EBADF"
        case EINVAL: "EINVAL"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case EWOULDBLOCK: "EWOULDBLOCK"
        case EFBIG: "EFBIG"
        case ENOMEM: "ENOMEM"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ELOOP: "ELOOP"
        case ENXIO: "ENXIO"
        case ENODEV: "ENODEV"
        case EBUSY: "EBUSY"
        default: "errno \(code)"
        }
    }

    /// The C library's text for `code`, e.g. `No space left on device`.
    static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
