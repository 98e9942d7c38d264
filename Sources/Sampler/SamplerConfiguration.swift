internal import CProfilerABI
import Glibc

/// What the sampler records; fixed when the BPF program is loaded.
public struct SamplerConfiguration: Sendable, Hashable {
    /// Samples per second on each CPU.
    public var frequency: Int
    /// Processes (tgids) to sample; empty samples every process.
    public var targetPIDs: [Int32]
    /// Record samples of the idle task (pid 0) instead of only counting them.
    public var includeIdle: Bool
    /// Deepest stack recorded, in frames (1...127, the kernel's perf_event_max_stack default).
    public var maxStackDepth: Int
    /// Capacity of the stack-trace map (distinct stacks).
    public var stackMapEntries: Int
    /// Capacity of the counts map (distinct thread × stack keys).
    public var countsMapEntries: Int
    /// How user stacks are captured.
    public var unwind: UnwindMode
    /// Bytes of user stack copied per snapshot for DWARF unwinding (a power of two, 1 KiB ... 64 KiB).
    public var snapshotBytes: Int
    /// Size of the snapshot ring buffer in bytes (a power of two, at least 64 KiB).
    public var ringBufferBytes: Int
    /// Leave the profiler's own process out: symbolizing itself would cost the agent tens of MB (its own binary,
    /// the Swift runtime, libdw's dependencies) for samples nobody asked for. Its samples are counted
    /// (`SamplerCounters.excluded`).
    public var excludeSelf = true

    public static let maxTargetPIDs = Int(SCORCH_MAX_TARGET_PIDS)
    /// 1 MiB per CPU (at least 2 MiB, a power of two): about 300 ms of 32 KiB snapshots at 99 Hz on every CPU, three
    /// times the recorder's drain interval. Its pages count in the process's RSS once samples stream through them.
    public static var defaultRingBufferBytes: Int { ringBufferBytes(perCPU: 1 << 20) }

    /// `perCPU` bytes for each configured CPU, rounded up to a power of two, at least 2 MiB.
    public static func ringBufferBytes(perCPU: Int) -> Int {
        let cpus = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_CONF))))
        var bytes = 2 << 20
        while bytes < cpus * perCPU { bytes <<= 1 }
        return bytes
    }

    /// The largest user-stack snapshot.
    public static let maxSnapshotBytes = Int(SCORCH_MAX_SNAPSHOT_BYTES)

    /// The deepest stack a stack map can hold (kernel.perf_event_max_stack's default).
    public static let maxDepthLimit = Int(SCORCH_MAX_STACK_DEPTH)

    public init(
        frequency: Int = 99, targetPIDs: [Int32] = [], includeIdle: Bool = false,
        maxStackDepth: Int = 127, stackMapEntries: Int = 16384, countsMapEntries: Int = 32768,
        unwind: UnwindMode = .fp, snapshotBytes: Int = 32768,
        ringBufferBytes: Int = SamplerConfiguration.defaultRingBufferBytes
    ) {
        self.unwind = unwind
        self.snapshotBytes = snapshotBytes
        self.ringBufferBytes = ringBufferBytes
        self.frequency = frequency
        self.targetPIDs = targetPIDs
        self.includeIdle = includeIdle
        self.maxStackDepth = maxStackDepth
        self.stackMapEntries = stackMapEntries
        self.countsMapEntries = countsMapEntries
    }

    /// A problem with the values, phrased for the command line, or nil when they are usable.
    public var problem: String? {
        if frequency < 1 { return "frequency must be at least 1 Hz" }
        if targetPIDs.count > Self.maxTargetPIDs { return "at most \(Self.maxTargetPIDs) pids can be targeted" }
        if let bad = targetPIDs.first(where: { $0 <= 0 }) { return "pid \(bad) is not a process id" }
        if !(1...Self.maxDepthLimit).contains(maxStackDepth) {
            return "max stack depth must be between 1 and \(Self.maxDepthLimit)"
        }
        if snapshotBytes < 1024 || snapshotBytes > Self.maxSnapshotBytes || snapshotBytes & (snapshotBytes - 1) != 0 {
            return "stack snapshot size must be a power of two from 1 KiB to \(Self.maxSnapshotBytes / 1024) KiB"
        }
        if ringBufferBytes < 65536 || ringBufferBytes & (ringBufferBytes - 1) != 0 {
            return "ring buffer size must be a power of two of at least 64 KiB"
        }
        return nil
    }

    /// The `.rodata` config struct shared with the BPF program.
    var abiConfig: scorch_config {
        var config = scorch_config()
        config.target_pid_count = UInt32(targetPIDs.count)
        withUnsafeMutableBytes(of: &config.target_pids) { raw in
            let slots = raw.bindMemory(to: UInt32.self)
            for (index, pid) in targetPIDs.enumerated() { slots[index] = UInt32(pid) }
        }
        config.include_idle = includeIdle ? 1 : 0
        config.unwind_mode = unwind.abiValue
        config.snapshot_bytes = UInt32(snapshotBytes)
        config.exclude_pid = excludeSelf ? UInt32(getpid()) : 0
        return config
    }
}
