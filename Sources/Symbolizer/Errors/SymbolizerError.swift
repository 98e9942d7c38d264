import Glibc

/// A failure that stops a whole symbolizer operation (reading maps or kallsyms, opening a binary).
///
/// Per-address failures are not errors: they are ``Symbolization/unknown(_:)`` values.
public struct SymbolizerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable for programmatic handling.
    public enum Code: Hashable, Sendable {
        /// A file could not be opened or read (see ``SymbolizerError/errno``).
        case fileUnreadable
        /// A file is not an ELF object, or libelf could not parse it.
        case notELF
        /// `/proc/PID/maps` text did not have the expected shape.
        case malformedMaps
        /// Every address in kallsyms is zero: `kernel.kptr_restrict` hides them from this user.
        case kernelAddressesHidden
        /// libdw or libelf failed for a reason other than the above.
        case libdw
    }

    /// The kind of failure.
    public var code: Code
    /// One line a person can act on, naming the file or input involved.
    public var message: String
    /// The `errno` of the failing system call, when one failed.
    public var errno: Int32?

    /// Creates an error; `message` should say what failed and what to do about it.
    public init(code: Code, message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// The message, followed by the errno's text when there is one.
    public var description: String {
        guard let errno else { return message }
        return "\(message): \(Self.errnoText(errno)) (errno \(errno))"
    }

    /// `strerror` text for `code`, e.g. "No such file or directory".
    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
