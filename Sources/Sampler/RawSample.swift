/// One aggregated sample as drained from the kernel: how many times a thread was seen with these stacks.
///
/// Addresses are absolute: user addresses in the process's address space, kernel addresses in the kernel's.
public struct RawSample: Sendable, Hashable {
    public var pid: Int32
    public var tid: Int32
    /// The thread's comm when sampled (at most 15 bytes).
    public var comm: String
    public var userStack: StackTrace
    public var kernelStack: StackTrace
    public var count: UInt64

    public init(pid: Int32, tid: Int32, comm: String, userStack: StackTrace, kernelStack: StackTrace, count: UInt64) {
        self.pid = pid
        self.tid = tid
        self.comm = comm
        self.userStack = userStack
        self.kernelStack = kernelStack
        self.count = count
    }
}

/// A stack of one kind (user or kernel) for a sample.
public enum StackTrace: Sendable, Hashable {
    /// Instruction pointers, leaf first. Every frame but the leaf is a return address.
    case frames([UInt64])
    /// The sample has no stack of this kind: a kernel thread has no user stack; a sample in user mode has no kernel
    /// stack. Not a loss.
    case absent
    /// The stack existed but was not recorded.
    case lost(StackLoss)

    public var frames: [UInt64] {
        if case .frames(let frames) = self { return frames }
        return []
    }
}

/// Why a stack was not recorded.
public enum StackLoss: String, Sendable, Hashable, CaseIterable {
    /// Its hash bucket in the stack map held a different stack.
    case collision
    /// The stack map was full.
    case mapFull = "map-full"
    /// The id was recorded but the stack was no longer in the map when read.
    case missing
    /// Another error of bpf_get_stackid.
    case other
}
