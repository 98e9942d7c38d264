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
    /// From the end of the window until its profile was ready: waiting behind earlier windows, and symbolizing.
    public var assemblyTime: Duration
}

/// Profiles the host continuously, one window after another, until asked to stop; the last, partial window is
/// flushed too.
///
/// Two threads: a sampling thread polls the kernel, unwinds snapshots and, each window, flips the map sets and drains
/// the idle one, so samples arriving during the drain go to the next window instead of being lost; the calling
/// thread symbolizes each finished window and hands it to `onWindow`. Symbol, unwinder and process caches carry over
/// between windows and are pruned when processes exit.
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

    /// Samples until `shouldStop()` returns true, handing every finished window to `onWindow` on the calling thread.
    /// `shouldStop` is checked every `drainInterval`.
    ///
    /// Throws only when sampling cannot start or the kernel maps cannot be read.
    public func run(shouldStop: () -> Bool, onWindow: (ProfileWindow) -> Void) throws(BPFError) {
        let loop = try SamplingLoop(configuration: sampler, maximumUnwindDepth: maximumUnwindDepth, logger: logger)
        let symbolizer = WindowSymbolizer(configuration: sampler, catalog: loop.catalog, logger: logger)
        let thread = SamplingThread(loop: loop, window: window, drainInterval: drainInterval)
        do {
            try thread.start()
        } catch {
            loop.sampler.stop()
            throw BPFError(.attachFailed, "\(error)")
        }
        // Binaries unused for about a minute are closed.
        let idleWindows = max(1, Int((Duration.seconds(60) / window).rounded(.up)))
        var stopRequested = false
        while true {
            for event in thread.takeEvents() {
                switch event {
                case .window(let sampled):
                    let (profile, summary) = symbolizer.assemble(sampled)
                    loop.assembledWindows.store(sampled.index + 1, ordering: .releasing)
                    onWindow(
                        ProfileWindow(
                            start: sampled.start, end: sampled.end, profile: profile, summary: summary,
                            assemblyTime: .now - sampled.sampledAt))
                    symbolizer.releaseIdleMemory(idleWindows: idleWindows)
                case .failed(let error):
                    thread.join()
                    throw error
                case .finished:
                    thread.join()
                    return
                }
            }
            if !stopRequested, shouldStop() {
                stopRequested = true
                thread.requestStop()
            }
            sleepUninterrupted(drainInterval)
        }
    }
}
