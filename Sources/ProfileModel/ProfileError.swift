/// Why a profile could not be decoded, validated or merged.
///
/// ``message`` is one line meant for a person: it names the offending element and what is wrong with it, e.g.
/// `invalid pprof: sample 12 refers to location 99 which does not exist`. ``code`` is for programs that branch on the
/// kind of failure; ``cause`` keeps the underlying library error, when there is one.
public struct ProfileError: Error, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The input was empty.
        case emptyInput
        /// The input starts like gzip but is not a valid gzip stream.
        case corruptCompression
        /// The gzip stream ends before its end marker.
        case truncatedCompression
        /// The decompressed profile is larger than the allowed maximum (a likely gzip bomb).
        case tooLarge
        /// The bytes are not a protobuf-encoded pprof `Profile`.
        case malformedProtobuf
        /// A string index points outside the string table, or the table does not start with `""`.
        case invalidStringIndex
        /// The profile decoded but breaks an invariant (dangling id, duplicate id, wrong number of values, ...).
        case invalidProfile
        /// Profiles cannot be merged because their sample types or period types differ.
        case incompatibleProfiles
        /// zlib could not allocate memory or failed internally.
        case compressionFailure
    }

    /// The kind of failure.
    public var code: Code
    /// One line describing the failure, for a person.
    public var message: String
    /// The lower-level error that caused this one, if any.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// ``message``.
    public var description: String { message }

    static func invalid(_ detail: String) -> ProfileError {
        ProfileError(.invalidProfile, "invalid pprof: \(detail)")
    }
}
