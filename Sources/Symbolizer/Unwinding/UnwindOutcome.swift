/// How an unwind ended.
public enum UnwindOutcome: Sendable, Hashable {
    /// The unwinder reached the outermost frame: the CFI of the last frame says its return address is undefined,
    /// as at `_start`, `clone` and thread start. The stack is complete.
    case complete
    /// The unwinder stopped before the outermost frame; the frames it found are still correct.
    case truncated(TruncationReason)
}
