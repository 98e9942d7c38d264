import BPFRuntime
import Glibc
import Logging
import ProfileModel
import Sampler
import Symbolizer

/// Records a CPU profile of the host (or of some processes) for a duration.
///
/// While sampling it watches which processes appear (every `discoveryInterval`) and captures their maps at first
/// sight, so processes that exit before the end are still symbolized. Symbolization happens after sampling stops,
/// so it does not perturb the recording.
public struct Recorder {
    public var sampler: SamplerConfiguration
    public var duration: Duration
    public var discoveryInterval: Duration = .milliseconds(200)
    /// How often snapshots are drained and unwound. Larger batches keep the unwinder's caches warm; the ring buffer
    /// holds about three intervals of snapshots (`SamplerConfiguration.defaultRingBufferBytes`), and Ctrl-C is
    /// noticed within this interval.
    public var drainInterval: Duration = .milliseconds(100)
    /// Deepest DWARF-unwound user stack, in frames.
    public var maximumUnwindDepth = 512
    let logger: Logger

    public init(sampler: SamplerConfiguration, duration: Duration, logger: Logger) {
        self.sampler = sampler
        self.duration = duration
        self.logger = logger
    }

    public struct Result: Sendable {
        public var profile: Profile
        public var summary: RecordingSummary
    }

    /// Samples until `duration` has passed or `shouldStop()` returns true, then builds the profile.
    ///
    /// Throws only when sampling cannot start or the maps cannot be read; per-frame failures are counted in the
    /// summary.
    public func record(shouldStop: () -> Bool = { false }) throws(BPFError) -> Result {
        let catalog = ProcessCatalog(logger: logger)
        let startNanos = Self.wallClockNanos()
        let clock = ContinuousClock()
        let session = try CPUSampler(configuration: sampler, logger: logger)
        let unwinding =
            sampler.unwind == .fp
            ? nil
            : SnapshotUnwinding(catalog: catalog, mode: sampler.unwind, maximumDepth: maximumUnwindDepth, logger: logger)
        let started = clock.now
        let deadline = started.advanced(by: duration)
        var nextDiscovery = started
        var nextExitCheck = started
        while clock.now < deadline, !shouldStop() {
            if let unwinding { try drain(session, into: unwinding) }
            if clock.now >= nextDiscovery {
                for pid in try session.processesSeen() { catalog.observe(pid) }
                nextDiscovery = clock.now.advanced(by: discoveryInterval)
            }
            if let unwinding, clock.now >= nextExitCheck {
                unwinding.forgetExited(catalog.processes.keys)
                nextExitCheck = clock.now.advanced(by: .seconds(1))
            }
            let remaining = min(deadline, nextDiscovery) - clock.now
            if remaining > .zero { Self.sleep(min(remaining, drainInterval)) }
        }
        session.stop()
        let elapsed = clock.now - started
        if let unwinding { try drain(session, into: unwinding) }
        let samples = try session.drain()
        let counters = try session.counters()

        let kernel: KernelSymbols?
        do {
            kernel = try KernelSymbols()
        } catch {
            logger.warning("kernel frames stay unsymbolized: \(error)")
            kernel = nil
        }
        let assembler = ProfileAssembler(
            catalog: catalog, symbolizer: ELFSymbolizer(logger: logger), kernel: kernel,
            frequency: sampler.frequency, timeNanos: startNanos, durationNanos: Self.nanoseconds(elapsed),
            logger: logger)
        var summary = RecordingSummary()
        var pids = Set<Int32>()
        for sample in samples {
            // A frame-pointer stack as deep as the map holds was cut by the depth limit.
            let cut = sample.userStack.frames.count >= sampler.maxStackDepth
            assembler.add(sample, truncation: cut ? TruncationReason.depthLimit.label : nil)
            if cut { summary.truncatedSamples[TruncationReason.depthLimit.label, default: 0] += sample.count }
            summary.samples += sample.count
            pids.insert(sample.pid)
        }
        if let unwinding {
            for (key, count) in unwinding.counts {
                assembler.add(
                    pid: key.pid, generation: key.generation, tid: key.tid, comm: key.comm, userStack: .frames(key.user.frames),
                    kernelStack: key.kernel, truncation: key.user.truncation?.label,
                    exactUserFrames: key.user.exactFrames, count: count)
                summary.samples += count
                pids.insert(key.pid)
            }
            summary.dwarfUnwoundSamples = unwinding.unwoundSamples
            for (reason, count) in unwinding.truncatedSamples {
                summary.truncatedSamples[reason.label, default: 0] += count
            }
            summary.framePointerProcesses = unwinding.framePointerPIDs.count
            summary.unwinder = unwinding.unwinder.statistics
            if unwinding.warmUnwinds > 0 {
                let (seconds, attoseconds) = unwinding.warmUnwindTime.components
                let micros = Double(seconds) * 1e6 + Double(attoseconds) / 1e12
                summary.warmUnwindMicroseconds = micros / Double(unwinding.warmUnwinds)
            }
        }
        summary.unwind = sampler.unwind
        summary.processes = pids.count
        summary.idleSamples = sampler.includeIdle ? 0 : counters.idle
        summary.counters = counters
        summary.frames = assembler.frames
        summary.unsymbolizedFrames = assembler.unsymbolizedFrames
        summary.durationSeconds = Double(Self.nanoseconds(elapsed)) / 1e9
        summary.cpus = PerfEvent.onlineCPUs().count
        summary.frequency = sampler.frequency
        var profile = assembler.build()
        profile.comments.append(contentsOf: summary.lines)
        return Result(profile: profile, summary: summary)
    }

    /// Unwinds every waiting snapshot, and moves processes whose frame pointers proved complete to the cheap path.
    private func drain(_ session: CPUSampler, into unwinding: SnapshotUnwinding) throws(BPFError) {
        var switching: [Int32] = []
        try session.drainSnapshots { snapshot in
            if let pid = unwinding.add(snapshot) { switching.append(pid) }
        }
        for pid in switching { try session.markFramePointerComplete(pid) }
    }

    static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    static func wallClockNanos() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
