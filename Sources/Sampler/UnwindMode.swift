internal import CProfilerABI

/// How user stacks are captured.
public enum UnwindMode: String, Sendable, Hashable, CaseIterable {
    /// Frame pointers, walked by the kernel: cheapest, but stacks through code built without them are short.
    case fp
    /// Every sample sends a snapshot of user registers and stack, unwound with DWARF CFI in user space.
    case dwarf
    /// Snapshots until a process's frame-pointer stacks prove complete, then the frame-pointer path for it.
    case auto

    var abiValue: UInt8 {
        switch self {
        case .fp: UInt8(SCORCH_UNWIND_FP.rawValue)
        case .dwarf: UInt8(SCORCH_UNWIND_DWARF.rawValue)
        case .auto: UInt8(SCORCH_UNWIND_AUTO.rawValue)
        }
    }
}
