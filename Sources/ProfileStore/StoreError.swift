/// Why a store operation failed.
///
/// ``message`` is one line a person can act on and always names the store directory, e.g.
/// `store /var/lib/scorch: disk full (ENOSPC) writing segment 00000003.seg; the window was not stored`.
/// ``code`` is for programs that branch on the kind of failure (the agent counts write errors by it); ``errno`` keeps
/// the system error when there is one, and ``cause`` a lower-level Swift error (e.g. a `ProfileError`).
public struct StoreError: Error, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No space left on the device (ENOSPC) or the disk quota is exhausted (EDQUOT).
        case diskFull
        /// The file system is mounted read-only (EROFS).
        case readOnlyFileSystem
        /// The process may not create, write or read a file of the store (EACCES, EPERM).
        case permissionDenied
        /// The device reported an I/O error (EIO), or a file changed under the store in an impossible way.
        case ioError
        /// Any other failing system call.
        case systemError
        /// Another process (or another `ProfileStore` in this one) holds the writer lock.
        case locked
        /// The store directory does not exist (read-only opens never create it).
        case notFound
        /// A segment was written by a newer (or unknown) format version.
        case unsupportedFormat
        /// An option or argument is out of range.
        case invalidArgument
        /// The profile to append is not valid (see `Profile.validate()`).
        case invalidProfile
        /// The profile is too large to be stored as one block.
        case tooLarge
        /// zstd failed to compress.
        case compressionFailure
        /// The operation writes, but the store was opened read-only.
        case storeIsReadOnly
    }

    /// The kind of failure.
    public var code: Code
    /// One line describing the failure and naming the store, for a person.
    public var message: String
    /// The `errno` of the failing system call, if any.
    public var errno: Int32?
    /// The lower-level error that caused this one, if any.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, errno: Int32? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
        self.cause = cause
    }

    /// ``message``.
    public var description: String { message }
}
