/// A failure at the kernel boundary, with what was attempted, what to do about it, and the errno when there is one.
///
/// `description` is the one line shown to a person: what is missing, and how to fix it.
public struct BPFError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Hashable {
        /// Not root and missing CAP_BPF / CAP_PERFMON.
        case insufficientPrivileges
        /// The kernel has no BTF at /sys/kernel/btf/vmlinux.
        case missingBTF
        /// The embedded object could not be opened (corrupt ELF, unknown section).
        case openFailed
        /// The verifier or the kernel rejected the program or a map; `verifierLog` holds what libbpf printed.
        case loadFailed
        /// perf_event_open(2) refused the sampling event.
        case perfEventOpenFailed
        /// Attaching the program to a perf event failed.
        case attachFailed
        /// A map operation (lookup, iteration, sizing) failed.
        case mapOperationFailed
        /// The object does not contain an expected program, map or global.
        case missingSymbol
    }

    public var code: Code
    public var message: String
    /// errno of the failing call, when the failure came from one.
    public var errno: Int32?
    /// libbpf's log for load failures (the verifier log), empty otherwise.
    public var verifierLog: [String]

    public init(_ code: Code, _ message: String, errno: Int32? = nil, verifierLog: [String] = []) {
        self.code = code
        self.message = message
        self.errno = errno
        self.verifierLog = verifierLog
    }

    public var description: String { message }
}
