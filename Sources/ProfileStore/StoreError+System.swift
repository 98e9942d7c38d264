import Glibc

extension StoreError.Code {
    /// The code for a failed system call's `errno`.
    init(errno code: Int32) {
        switch code {
        case ENOSPC, EDQUOT, EFBIG: self = .diskFull
        case EROFS: self = .readOnlyFileSystem
        case EACCES, EPERM: self = .permissionDenied
        case EIO: self = .ioError
        case ENOENT: self = .notFound
        default: self = .systemError
        }
    }
}

extension StoreError {
    /// A store error for a failed system call, e.g.
    /// `store /var/lib/scorch: disk full (ENOSPC) writing segment 00000003.seg; the window was not stored`.
    ///
    /// - Parameters:
    ///   - failure: the system call that failed.
    ///   - store: the store directory, named first in every message.
    ///   - activity: what the store was doing, e.g. `writing segment 00000003.seg`.
    ///   - consequence: what that means for the caller, e.g. `the window was not stored`; nil for none.
    static func system(
        _ failure: SystemCallError, store: String, while activity: String, consequence: String? = nil
    ) -> StoreError {
        let code = Code(errno: failure.errno)
        let what: String
        switch code {
        case .diskFull: what = "disk full"
        case .readOnlyFileSystem: what = "file system is read-only"
        case .permissionDenied: what = "permission denied"
        case .ioError: what = "I/O error"
        default: what = Errno.text(failure.errno)
        }
        var message = "store \(store): \(what) (\(Errno.name(failure.errno))) \(activity)"
        if let consequence { message += "; \(consequence)" }
        return StoreError(code, message, errno: failure.errno, cause: failure)
    }
}
