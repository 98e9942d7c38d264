import BPFRuntime
import Glibc
import Logging
import ProfileModel
import Sampler
import Symbolizer

/// The machinery of one profiling run, shared by `scorch record` (one window) and the agent (a window after
/// another): the BPF sampler, the catalog of processes, the DWARF unwinder and the symbolizers.
///
/// Call `poll()` often (every 100 ms): it unwinds waiting snapshots, captures new processes' maps and forgets exited
/// ones. `assembleWindow` turns a window's samples into a profile; symbol caches carry over between windows.
/// Not thread-safe: one owner.
final class SamplingSession {
    let configuration: SamplerConfiguration
    let sampler: CPUSampler
    let catalog: ProcessCatalog
    let unwinding: SnapshotUnwinding?
    let symbolizer: ELFSymbolizer
    let logger: Logger
    private var kernelSymbols: KernelSymbols??
    private let clock = ContinuousClock()
    private var nextDiscovery: ContinuousClock.Instant
    private var nextExitCheck: ContinuousClock.Instant
    let discoveryInterval: Duration = .milliseconds(200)
    /// Pids that appeared in the current window.
    private var seenThisWindow = Set<Int32>()

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
        symbolizer = ELFSymbolizer(logger: logger)
        nextDiscovery = clock.now
        nextExitCheck = clock.now.advanced(by: .seconds(1))
    }

    /// Kernel symbols, read once; nil (and a warning) when /proc/kallsyms is unusable.
    var kernel: KernelSymbols? {
        if let kernelSymbols { return kernelSymbols }
        let loaded: KernelSymbols?
        do {
            loaded = try KernelSymbols()
        } catch {
            logger.warning("kernel frames stay unsymbolized: \(error)")
            loaded = nil
        }
        kernelSymbols = .some(loaded)
        return loaded
    }

    /// Unwinds waiting snapshots; every `discoveryInterval` captures the maps of processes new in the counts maps;
    /// every second forgets processes that exited and were not sampled in this window.
    func poll() throws(BPFError) {
        drainSnapshots()
        if clock.now >= nextDiscovery {
            for pid in try sampler.processesSeen() {
                catalog.observe(pid)
                seenThisWindow.insert(pid)
            }
            nextDiscovery = clock.now.advanced(by: discoveryInterval)
        }
        if clock.now >= nextExitCheck {
            for pid in catalog.processes.keys where !seenThisWindow.contains(pid) && kill(pid, 0) != 0 && errno == ESRCH {
                unwinding?.forget(pid)
                catalog.forget(pid)
            }
            nextExitCheck = clock.now.advanced(by: .seconds(1))
        }
    }

    /// Unwinds every waiting snapshot, and moves processes whose frame pointers proved complete to the cheap path.
    func drainSnapshots() {
        guard let unwinding else { return }
        var switching: [Int32] = []
        do {
            try sampler.drainSnapshots { snapshot in
                seenThisWindow.insert(snapshot.pid)
                if let pid = unwinding.add(snapshot) { switching.append(pid) }
            }
            for pid in switching { try sampler.markFramePointerComplete(pid) }
        } catch {
            logger.error("reading snapshots failed: \(error)")
        }
    }

    /// Builds the profile of one window from its counts-map samples and what was unwound since the last window.
    func assembleWindow(
        samples: [RawSample], counters: SamplerCounters, timeNanos: Int64, durationNanos: Int64
    ) -> (Profile, RecordingSummary) {
        let assembler = ProfileAssembler(
            catalog: catalog, symbolizer: symbolizer, kernel: kernel, frequency: configuration.frequency,
            timeNanos: timeNanos, durationNanos: durationNanos, logger: logger)
        // Symbolizing can take seconds when new binaries appear; keep the snapshot ring buffer from filling up
        // meanwhile. What is unwound now belongs to the next window (this window's counts were taken below).
        var lastDrain = clock.now
        assembler.onProgress = { [unowned self] in
            guard clock.now - lastDrain >= .milliseconds(50) else { return }
            drainSnapshots()
            lastDrain = clock.now
        }
        var summary = RecordingSummary()
        var pids = Set<Int32>()
        let window = unwinding?.takeWindow()
        for sample in samples {
            // A frame-pointer stack as deep as the map holds was cut by the depth limit.
            let cut = sample.userStack.frames.count >= configuration.maxStackDepth
            assembler.add(sample, truncation: cut ? TruncationReason.depthLimit.label : nil)
            if cut { summary.truncatedSamples[TruncationReason.depthLimit.label, default: 0] += sample.count }
            summary.samples += sample.count
            pids.insert(sample.pid)
        }
        if let unwinding, let window {
            for (key, count) in window.counts {
                assembler.add(
                    pid: key.pid, generation: key.generation, tid: key.tid, comm: key.comm,
                    userStack: .frames(key.user.frames), kernelStack: key.kernel,
                    truncation: key.user.truncation?.label, exactUserFrames: key.user.exactFrames, count: count)
                summary.samples += count
                pids.insert(key.pid)
            }
            summary.dwarfUnwoundSamples = window.unwoundSamples
            for (reason, count) in window.truncatedSamples {
                summary.truncatedSamples[reason.label, default: 0] += count
            }
            summary.framePointerProcesses = unwinding.framePointerPIDs.count
            summary.unwinder = unwinding.unwinder.statistics
            if window.warmUnwinds > 0 {
                let (seconds, attoseconds) = window.warmUnwindTime.components
                let micros = Double(seconds) * 1e6 + Double(attoseconds) / 1e12
                summary.warmUnwindMicroseconds = micros / Double(window.warmUnwinds)
            }
        }
        seenThisWindow.removeAll(keepingCapacity: true)
        summary.unwind = configuration.unwind
        summary.processes = pids.count
        summary.idleSamples = configuration.includeIdle ? 0 : counters.idle
        summary.counters = counters
        summary.frames = assembler.frames
        summary.unsymbolizedFrames = assembler.unsymbolizedFrames
        summary.durationSeconds = Double(durationNanos) / 1e9
        summary.cpus = PerfEvent.onlineCPUs().count
        summary.frequency = configuration.frequency
        return (assembler.build(), summary)
    }
}
