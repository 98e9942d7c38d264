internal import CLibdw

extension ProcessUnwinder {
    /// Unwinds one sample: `registers` (17, DWARF order) and `stack`, the bytes copied from `registers[7]` up.
    ///
    /// libdw's unwinder steps from frame to frame with the CFI of each pc; the frame callback looks at each pc
    /// first and stops the walk at the outermost frame (complete), at a pc without CFI, or at `maximumDepth`. This
    /// check also keeps out libdw's frame-pointer fallback, which it uses where CFI is missing and which, in code
    /// built without frame pointers, would append frames read from whatever `rbp` holds.
    ///
    /// libdw ends a walk without error when a return address cannot be read, so a walk that libdw ends is
    /// `snapshotEnd` if the callbacks refused a read above the copy, and `unwindError` otherwise.
    ///
    /// - Returns: the frames and outcome, and libdw's error message when the outcome is `unwindError`.
    func walk(
        registers: UnsafeBufferPointer<UInt64>, stack: UnsafeRawBufferPointer, maximumDepth: Int
    ) -> (stack: UnwoundStack, error: String?) {
        frames = []
        frames.reserveCapacity(32)
        exactFrames = []
        self.maximumDepth = maximumDepth
        stoppedWith = nil
        stopError = nil
        snapshot.pointee = CLibdw_UnwindSnapshot(
            registers: registers.baseAddress, stack: stack.baseAddress,
            stackStart: registers[Int(CLibdw_UNWIND_REGISTER_SP)], stackSize: stack.count,
            readBeyondSnapshot: false)
        defer { snapshot.pointee = CLibdw_UnwindSnapshot() }

        let result = dwfl_getthread_frames(
            dwfl, pid,
            { frame, argument in
                guard let frame, let argument else { return Int32(DWARF_CB_ABORT) }
                return Unmanaged<ProcessUnwinder>.fromOpaque(argument).takeUnretainedValue().visit(frame)
            }, Unmanaged.passUnretained(self).toOpaque())

        let outcome: UnwindOutcome
        var error = stopError
        if let stoppedWith {
            outcome = stoppedWith
        } else if snapshot.pointee.readBeyondSnapshot {
            outcome = .truncated(.snapshotEnd)
        } else {
            outcome = .truncated(.unwindError)
            error =
                result < 0
                ? Self.lastError()
                : "libdw ended the walk before the outermost frame: a return address or a register its CFI needs "
                    + "could not be recovered"
        }
        let unwound = UnwoundStack(frames: frames, outcome: outcome, exactFrames: exactFrames)
        frames = []
        exactFrames = []
        return (unwound, error)
    }

    /// The frame callback: records the frame's pc and decides whether the walk goes on.
    private func visit(_ frame: OpaquePointer) -> Int32 {
        var pc: Dwarf_Addr = 0
        var isActivation = false
        guard dwfl_frame_pc(frame, &pc, &isActivation) else {
            stoppedWith = .truncated(.unwindError)
            stopError = "dwfl_frame_pc failed: \(Self.lastError())"
            return Int32(DWARF_CB_ABORT)
        }
        if isActivation && !frames.isEmpty { exactFrames.insert(frames.count) }
        frames.append(ProcessAddress(pc))
        // A return address is one past its call: look up the call, as libdw's unwinder itself does.
        switch kind(of: isActivation ? pc : pc &- 1) {
        case .noModule, .noCFI:
            stoppedWith = .truncated(.noUnwindInfo)
            return Int32(DWARF_CB_ABORT)
        case .outermost:
            stoppedWith = .complete
            return Int32(DWARF_CB_ABORT)
        case .unwindable:
            if frames.count >= maximumDepth {
                stoppedWith = .truncated(.depthLimit)
                return Int32(DWARF_CB_ABORT)
            }
            return Int32(DWARF_CB_OK)
        }
    }

    /// What the CFI says about `pc`, cached per pc.
    private func kind(of pc: UInt64) -> PCKind {
        if let cached = pcKinds[pc] { return cached }
        var module: OpaquePointer?
        let kind: PCKind
        switch CLibdw_classifyUnwindPC(dwfl, pc, &module) {
        case CLibdw_UnwindPCOutermost: kind = .outermost
        case CLibdw_UnwindPCUnwindable: kind = .unwindable
        case CLibdw_UnwindPCNoCFI: kind = .noCFI
        default: kind = .noModule
        }
        if let module { loadedModules.insert(module) }
        if pcKinds.count >= Self.maximumCachedPCs { pcKinds.removeAll(keepingCapacity: true) }
        pcKinds[pc] = kind
        return kind
    }
}
