internal import CProfilerABI

/// Totals of the BPF program's per-CPU counters: what was sampled and everything that was lost, by reason.
public struct SamplerCounters: Sendable, Hashable {
    /// Program invocations (perf samples delivered).
    public var samples: UInt64 = 0
    /// Samples added to the counts map.
    public var recorded: UInt64 = 0
    /// Idle-task samples (pid 0) that were not recorded.
    public var idle: UInt64 = 0
    /// Samples of processes outside the pid filter.
    public var filtered: UInt64 = 0
    /// Samples of the profiler's own process, left out (see `SamplerConfiguration.excludeSelf`).
    public var excluded: UInt64 = 0
    /// Samples lost because the counts map was full.
    public var countsMapFull: UInt64 = 0
    /// User stacks lost, by reason (the samples themselves are kept).
    public var userStackLost: [StackLoss: UInt64] = [:]
    /// Kernel stacks lost, by reason (the samples themselves are kept).
    public var kernelStackLost: [StackLoss: UInt64] = [:]
    /// Samples with no user stack (kernel threads).
    public var userStackAbsent: UInt64 = 0
    /// Samples with no kernel stack (taken in user mode).
    public var kernelStackAbsent: UInt64 = 0

    /// Snapshots sent for DWARF unwinding.
    public var snapshots: UInt64 = 0
    /// Samples lost because the snapshot ring buffer was full.
    public var snapshotRingBufferFull: UInt64 = 0
    /// Samples with no user registers to snapshot (kernel threads), recorded through frame pointers instead.
    public var snapshotNoUserRegisters: UInt64 = 0
    /// Snapshots whose stack copy stopped before the configured size.
    public var snapshotShortStack: UInt64 = 0
    /// New-process announcements dropped because their ring buffer was full (each is retried on a later sample of
    /// the process; nothing is lost unless the process exits first).
    public var newProcessEventsLost: UInt64 = 0

    public init() {}

    /// Builds totals from the counter array indexed by `enum scorch_counter`.
    init(totals: [UInt64]) {
        func value(_ counter: scorch_counter) -> UInt64 {
            let index = Int(counter.rawValue)
            return index < totals.count ? totals[index] : 0
        }
        samples = value(SCORCH_COUNTER_SAMPLES)
        recorded = value(SCORCH_COUNTER_RECORDED)
        idle = value(SCORCH_COUNTER_IDLE)
        filtered = value(SCORCH_COUNTER_FILTERED)
        excluded = value(SCORCH_COUNTER_EXCLUDED)
        countsMapFull = value(SCORCH_COUNTER_COUNTS_MAP_FULL)
        userStackLost = [
            .collision: value(SCORCH_COUNTER_USER_STACK_COLLISION),
            .mapFull: value(SCORCH_COUNTER_USER_STACK_MAP_FULL),
            .other: value(SCORCH_COUNTER_USER_STACK_OTHER),
        ].filter { $0.value > 0 }
        kernelStackLost = [
            .collision: value(SCORCH_COUNTER_KERNEL_STACK_COLLISION),
            .mapFull: value(SCORCH_COUNTER_KERNEL_STACK_MAP_FULL),
            .other: value(SCORCH_COUNTER_KERNEL_STACK_OTHER),
        ].filter { $0.value > 0 }
        userStackAbsent = value(SCORCH_COUNTER_USER_STACK_NONE)
        kernelStackAbsent = value(SCORCH_COUNTER_KERNEL_STACK_NONE)
        snapshots = value(SCORCH_COUNTER_SNAPSHOTS)
        snapshotRingBufferFull = value(SCORCH_COUNTER_SNAPSHOT_RINGBUF_FULL)
        snapshotNoUserRegisters = value(SCORCH_COUNTER_SNAPSHOT_NO_USER_REGS)
        snapshotShortStack = value(SCORCH_COUNTER_SNAPSHOT_SHORT_STACK)
        newProcessEventsLost = value(SCORCH_COUNTER_NEW_PID_LOST)
    }

    static let count = Int(SCORCH_COUNTER_MAX.rawValue)

    /// Samples lost entirely (not in any profile).
    public var samplesLost: UInt64 { countsMapFull + snapshotRingBufferFull }

    /// Every nonzero loss by reason, in a fixed order: samples lost (`counts-map-full`, `ring-buffer-full`), then
    /// stacks lost while the sample was kept (`user-stack-collision`, `kernel-stack-map-full`, …).
    public var losses: [(reason: String, count: UInt64)] {
        var losses: [(reason: String, count: UInt64)] = [
            ("counts-map-full", countsMapFull), ("ring-buffer-full", snapshotRingBufferFull),
        ]
        for reason in StackLoss.allCases {
            losses.append(("user-stack-\(reason.rawValue)", userStackLost[reason] ?? 0))
        }
        for reason in StackLoss.allCases {
            losses.append(("kernel-stack-\(reason.rawValue)", kernelStackLost[reason] ?? 0))
        }
        return losses.filter { $0.count > 0 }
    }
}

extension SamplerCounters {
    /// What was counted since `earlier` (counters only grow).
    public func delta(since earlier: SamplerCounters) -> SamplerCounters {
        func difference(_ now: [StackLoss: UInt64], _ before: [StackLoss: UInt64]) -> [StackLoss: UInt64] {
            now.reduce(into: [:]) { result, entry in
                let value = entry.value &- (before[entry.key] ?? 0)
                if value > 0 { result[entry.key] = value }
            }
        }
        var result = SamplerCounters()
        result.samples = samples &- earlier.samples
        result.recorded = recorded &- earlier.recorded
        result.idle = idle &- earlier.idle
        result.filtered = filtered &- earlier.filtered
        result.excluded = excluded &- earlier.excluded
        result.countsMapFull = countsMapFull &- earlier.countsMapFull
        result.userStackLost = difference(userStackLost, earlier.userStackLost)
        result.kernelStackLost = difference(kernelStackLost, earlier.kernelStackLost)
        result.userStackAbsent = userStackAbsent &- earlier.userStackAbsent
        result.kernelStackAbsent = kernelStackAbsent &- earlier.kernelStackAbsent
        result.snapshots = snapshots &- earlier.snapshots
        result.snapshotRingBufferFull = snapshotRingBufferFull &- earlier.snapshotRingBufferFull
        result.snapshotNoUserRegisters = snapshotNoUserRegisters &- earlier.snapshotNoUserRegisters
        result.snapshotShortStack = snapshotShortStack &- earlier.snapshotShortStack
        result.newProcessEventsLost = newProcessEventsLost &- earlier.newProcessEventsLost
        return result
    }
}
