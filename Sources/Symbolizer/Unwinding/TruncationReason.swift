/// Why an unwind stopped before the outermost frame.
public enum TruncationReason: String, Sendable, Hashable, CaseIterable {
    /// The unwinder needed stack memory beyond the copied snapshot (a deep stack, or a small copy).
    case snapshotEnd
    /// ``StackUnwinder``'s `maximumDepth` frames were found.
    case depthLimit
    /// A pc with no CFI (no `.eh_frame` or `.debug_frame` entry, or its file cannot be opened), or in no
    /// executable file mapping: JIT code, a deleted file, or a file that is no longer where the maps say.
    case noUnwindInfo
    /// The initial registers are unusable: not 17 of them, or the stack or instruction pointer is zero.
    case invalidRegisters
    /// Any other libdw failure, e.g. CFI whose rules need a register the previous frames did not recover.
    case unwindError
}
