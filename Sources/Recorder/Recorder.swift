import BPFRuntime
import Glibc
import Logging
import ProfileModel
import Sampler
import Symbolizer

/// Records a CPU profile of the host (or of some processes) for a duration.
///
/// While sampling it captures the maps of every process the BPF program announces as new (within `drainInterval`),
/// so processes that exit before the end are still symbolized; snapshots are unwound as they arrive. Symbolization
/// happens after sampling stops, so it does not perturb the recording.
public struct Recorder {
    public var sampler: SamplerConfiguration
    public var duration: Duration
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
        let clock = ContinuousClock()
        let loop = try SamplingLoop(configuration: sampler, maximumUnwindDepth: maximumUnwindDepth, logger: logger)
        let deadline = clock.now.advanced(by: duration)
        while clock.now < deadline, !shouldStop() {
            try loop.poll()
            let remaining = deadline - clock.now
            if remaining > .zero { sleepUninterrupted(min(remaining, drainInterval)) }
        }
        let window = try loop.endSampling()
        let symbolizer = WindowSymbolizer(configuration: sampler, catalog: loop.catalog, logger: logger)
        var (profile, summary) = symbolizer.assemble(window)
        profile.comments.append(contentsOf: summary.lines)
        return Result(profile: profile, summary: summary)
    }

    /// Nanoseconds since the Unix epoch, now.
    public static func wallClockNanos() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
