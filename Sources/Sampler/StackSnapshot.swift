/// One sample sent for DWARF unwinding: the thread's user registers and a copy of the top of its user stack.
public struct StackSnapshot: Sendable {
    public var pid: Int32
    public var tid: Int32
    public var comm: String
    /// The same sample's frame-pointer user stack, walked by the kernel.
    public var framePointerStack: StackTrace
    public var kernelStack: StackTrace
    /// User registers in DWARF x86-64 order: ax dx cx bx si di bp sp r8–r15 ip.
    public var registers: [UInt64]
    /// Stack bytes starting at the stack pointer (`registers[7]`).
    public var stack: [UInt8]
    /// Fewer bytes than configured were copied (the stack ended sooner, or a page was unreadable).
    public var isShort: Bool
    /// The sample hit kernel mode; the registers are those saved at kernel entry.
    public var fromKernelMode: Bool

    /// Stack ids from the ring buffer record, resolved to stacks by `CPUSampler.drainSnapshots`.
    var pendingFramePointerID: Int32?
    var pendingKernelID: Int32?
    /// The map set holding those stack ids.
    var stackSet = 0

    public var instructionPointer: UInt64 { registers[16] }
    public var stackPointer: UInt64 { registers[7] }
}
