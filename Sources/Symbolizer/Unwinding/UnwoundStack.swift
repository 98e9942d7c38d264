/// The call stack recovered from one sample, and whether it reaches the outermost frame.
public struct UnwoundStack: Sendable, Hashable {
    /// Leaf first: `frames[0]` is the sampled instruction pointer; every later frame is a return address exactly as
    /// found on the stack, not adjusted, except those in ``exactFrames``. Before symbolizing, callers subtract one
    /// from return addresses, so the address falls inside the call instruction (and its inlining context) rather
    /// than after it: ``addressesForSymbolization`` does that.
    ///
    /// Empty only when the registers did not even hold an instruction pointer.
    public var frames: [ProcessAddress]
    /// Whether ``frames`` is the whole stack, or why it stops early.
    public var outcome: UnwindOutcome
    /// Indexes (above 0) of frames whose address is not a return address but an exact pc, where execution resumes:
    /// the signal trampoline (`__restore_rt`) a signal handler returns to, and the code the signal interrupted.
    /// libdw calls these activations. Empty unless the stack crosses a signal frame.
    public var exactFrames: Set<Int>

    /// Creates a stack.
    public init(frames: [ProcessAddress], outcome: UnwindOutcome, exactFrames: Set<Int> = []) {
        self.frames = frames
        self.outcome = outcome
        self.exactFrames = exactFrames
    }

    /// ``frames`` as addresses to symbolize: return addresses minus one (inside their call instruction); the first
    /// frame and ``exactFrames`` as they are.
    public var addressesForSymbolization: [ProcessAddress] {
        frames.indices.map { index in
            let address = frames[index]
            guard index > 0, !exactFrames.contains(index), address.rawValue > 0 else { return address }
            return ProcessAddress(address.rawValue - 1)
        }
    }
}
