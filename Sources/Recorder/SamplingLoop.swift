import BPFRuntime
import Glibc
import Logging
import Sampler
import Symbolizer
import Synchronization

/// The sampling side of a profiling run: the BPF sampler, the DWARF unwinder and process discovery. It never
/// symbolizes, so it keeps up with the kernel whatever the symbolizing side is doing.
///
/// Call `poll()` often (every 100 ms): it unwinds waiting snapshots and captures the maps of processes the program
/// announces as new. `endWindow` flips the map sets, drains the idle one and forgets processes that exited (only once
/// no window still to be symbolized can refer to them: see `forgetExitedProcesses`).
///
/// One thread at a time: created on one thread, then handed to the sampling thread (hence `@unchecked Sendable`).
/// Only `catalog` and `assembledWindows` are shared with the symbolizing side, and both are thread-safe.
final class SamplingLoop: @unchecked Sendable {
    let configuration: SamplerConfiguration
    let sampler: CPUSampler
    let catalog: ProcessCatalog
    let unwinding: SnapshotUnwinding?
    let logger: Logger
    /// Windows whose symbolization has finished: the symbolizing side raises it after each window.
    let assembledWindows = Atomic<Int>(0)

    /// The index of the window being sampled.
    private(set) var windowIndex = 0
    private var windowStart: Int64
    private var previousCounters = SamplerCounters()
    /// The last window each known process was sampled in.
    private var lastSeen: [Int32: Int] = [:]
    /// The window at whose end each exited process was first found gone.
    private var goneSince: [Int32: Int] = [:]

    init(configuration: SamplerConfiguration, maximumUnwindDepth: Int, logger: Logger) throws(BPFError) {
        self.configuration = configuration
        self.logger = logger
        sampler = try CPUSampler(configuration: configuration, logger: logger)
        catalog = ProcessCatalog(logger: logger)
        unwinding =
            configuration.unwind == .fp
            ? nil
            : SnapshotUnwinding(
                catalog: catalog, mode: configuration.unwind, maximumDepth: maximumUnwindDepth, logger: logger)
        windowStart = Recorder.wallClockNanos()
    }

    /// Unwinds waiting snapshots and reads the maps of processes sampled for the first time.
    func poll() throws(BPFError) {
        drainSnapshots()
        for pid in try sampler.newProcesses() {
            catalog.observe(pid)
            lastSeen[pid] = windowIndex
        }
    }

    /// Unwinds every waiting snapshot, and moves processes whose frame pointers proved complete to the cheap path.
    func drainSnapshots() {
        guard let unwinding else { return }
        var switching: [Int32] = []
        do {
            try sampler.drainSnapshots { snapshot in
                lastSeen[snapshot.pid] = windowIndex
                if let pid = unwinding.add(snapshot) { switching.append(pid) }
            }
            for pid in switching { try sampler.markFramePointerComplete(pid) }
        } catch {
            logger.error("reading snapshots failed: \(error)")
        }
    }

    /// Ends the window being sampled: flips the map sets (samples arriving now go to the next window), drains the
    /// idle set and the snapshots, and returns the window. Sampling goes on.
    func endWindow() throws(BPFError) -> SampledWindow {
        let end = Recorder.wallClockNanos()
        let idle = try sampler.flip()
        drainSnapshots()
        let samples = try sampler.drain(set: idle, clearing: true)
        return finishWindow(samples: samples, end: end, counters: try sampler.counters())
    }

    /// Stops sampling and returns everything recorded since the last window (`scorch record`'s one window).
    func endSampling() throws(BPFError) -> SampledWindow {
        sampler.stop()
        let end = Recorder.wallClockNanos()
        drainSnapshots()
        let samples = try sampler.drain()
        return finishWindow(samples: samples, end: end, counters: try sampler.counters())
    }

    private func finishWindow(samples: [RawSample], end: Int64, counters: SamplerCounters) -> SampledWindow {
        for sample in samples { lastSeen[sample.pid] = windowIndex }
        let window = SampledWindow(
            index: windowIndex, start: windowStart, end: end, samples: samples, unwound: unwinding?.takeWindow(),
            counters: counters.delta(since: previousCounters),
            framePointerProcesses: unwinding?.framePointerPIDs.count ?? 0, unwinder: unwinding?.unwinder.statistics,
            sampledAt: ContinuousClock.now)
        previousCounters = counters
        windowStart = end
        forgetExitedProcesses()
        windowIndex += 1
        return window
    }

    /// Forgets processes that exited, once nothing can refer to them any more: a process found gone at the end of
    /// one window may still have samples from before its exit in the next window's maps, so it is forgotten at the
    /// end of a later window, and only after every window it was sampled in has been symbolized.
    private func forgetExitedProcesses() {
        let assembled = assembledWindows.load(ordering: .acquiring)
        for pid in catalog.pids {
            guard kill(pid, 0) != 0, errno == ESRCH else {
                goneSince[pid] = nil
                continue
            }
            guard let since = goneSince[pid] else {
                goneSince[pid] = windowIndex
                continue
            }
            guard since < windowIndex, lastSeen[pid, default: -1] < assembled else { continue }
            unwinding?.forget(pid)
            catalog.forget(pid)
            lastSeen[pid] = nil
            goneSince[pid] = nil
            do {
                try sampler.forgetProcess(pid)
            } catch {
                logger.debug("cannot forget process in the kernel maps", metadata: ["pid": "\(pid)", "error": "\(error)"])
            }
        }
    }
}
