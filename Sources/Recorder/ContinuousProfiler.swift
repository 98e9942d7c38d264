import BPFRuntime
import Logging
import ProfileModel
import Sampler

/// One window of continuous profiling: its profile (symbols resolved) and what happened while it was recorded.
public struct ProfileWindow: Sendable {
    /// Wall-clock bounds, nanoseconds since the epoch.
    public var start: Int64
    public var end: Int64
    public var profile: Profile
    /// Samples, processes, and the losses of this window alone.
    public var summary: RecordingSummary
    /// Time spent draining, unwinding and symbolizing the window at its end.
    public var assemblyTime: Duration
}

/// Profiles the host continuously, one window after another, until asked to stop; the last, partial window is
/// flushed too.
///
/// Each window the sampler flips its map sets and drains the idle one, so samples arriving during the drain go to
/// the next window instead of being lost. Symbol, unwinder and process caches carry over between windows and are
/// bounded (LRU, and pruned when processes exit).
public struct ContinuousProfiler {
    public var sampler: SamplerConfiguration
    public var window: Duration
    public var drainInterval: Duration = .milliseconds(100)
    public var maximumUnwindDepth = 512
    let logger: Logger

    public init(sampler: SamplerConfiguration, window: Duration, logger: Logger) {
        self.sampler = sampler
        self.window = window
        self.logger = logger
    }

    /// Samples until `shouldStop()` returns true, handing every finished window to `onWindow` (on this thread).
    ///
    /// Throws only when sampling cannot start or the kernel maps cannot be read.
    public func run(shouldStop: () -> Bool, onWindow: (ProfileWindow) -> Void) throws(BPFError) {
        let session = try SamplingSession(
            configuration: sampler, maximumUnwindDepth: maximumUnwindDepth, logger: logger)
        defer { session.sampler.stop() }
        let clock = ContinuousClock()
        var windowStart = Recorder.wallClockNanos()
        var windowEnd = clock.now.advanced(by: window)
        var previous = SamplerCounters()
        while true {
            let stopping = shouldStop()
            if stopping || clock.now >= windowEnd {
                let assemblyStarted = clock.now
                let end = Recorder.wallClockNanos()
                let idle = try session.sampler.flip()
                session.drainSnapshots()
                let samples = try session.sampler.drain(set: idle, clearing: true)
                let counters = try session.sampler.counters()
                let (profile, summary) = session.assembleWindow(
                    samples: samples, counters: counters.delta(since: previous), timeNanos: windowStart,
                    durationNanos: end - windowStart)
                previous = counters
                onWindow(
                    ProfileWindow(
                        start: windowStart, end: end, profile: profile, summary: summary,
                        assemblyTime: clock.now - assemblyStarted))
                windowStart = end
                windowEnd = windowEnd.advanced(by: window)
                if stopping { return }
                // A window that took longer than `window` to assemble does not cause a burst of empty windows.
                if windowEnd <= clock.now { windowEnd = clock.now.advanced(by: window) }
            }
            try session.poll()
            let remaining = windowEnd - clock.now
            if remaining > .zero { Recorder.sleep(min(remaining, drainInterval)) }
        }
    }
}
