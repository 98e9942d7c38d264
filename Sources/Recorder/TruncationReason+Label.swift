import Symbolizer

extension TruncationReason {
    /// The reason as shown to people: in the `[truncated]` frame's file name and in the summary.
    public var label: String {
        switch self {
        case .snapshotEnd: "snapshot-end"
        case .depthLimit: "depth-limit"
        case .noUnwindInfo: "no-unwind-info"
        case .invalidRegisters: "invalid-registers"
        case .unwindError: "unwind-error"
        }
    }
}
