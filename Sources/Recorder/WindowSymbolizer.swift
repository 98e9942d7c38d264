import BPFRuntime
import Logging
import ProfileModel
import Sampler
import Symbolizer

/// The symbolizing side of a profiling run: turns a `SampledWindow` into a profile with functions, files and lines.
/// Symbol caches carry over between windows. One thread at a time; shares only the (thread-safe) catalog with the
/// sampling side.
final class WindowSymbolizer {
    let configuration: SamplerConfiguration
    let catalog: ProcessCatalog
    let symbolizer: ELFSymbolizer
    let logger: Logger
    private var kernelSymbols: KernelSymbols??

    init(configuration: SamplerConfiguration, catalog: ProcessCatalog, logger: Logger) {
        self.configuration = configuration
        self.catalog = catalog
        self.logger = logger
        symbolizer = ELFSymbolizer(logger: logger, maximumCachedResults: 50_000)
    }

    /// Gives memory back between windows of a long run: closes binaries unused for `idleWindows` windows (their
    /// results stay cached), keeps at most 8 open whose files add up to at most 128 MiB (a compiler binary alone
    /// can be 150 MB, and libdw's data for it tens of MB), then returns freed heap pages to the system (glibc
    /// keeps them otherwise, as fragments of the symbolizer's and the window's allocations).
    func releaseIdleMemory(idleWindows: Int) {
        symbolizer.closeIdleBinaries(idlePeriods: idleWindows, maximumOpen: 8, maximumOpenBytes: 128 << 20)
        trimHeap()
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

    /// Builds the profile of one window from its counts-map samples and what was unwound during it.
    func assemble(_ window: SampledWindow) -> (Profile, RecordingSummary) {
        let assembler = ProfileAssembler(
            catalog: catalog, symbolizer: symbolizer, kernel: kernel, frequency: configuration.frequency,
            timeNanos: window.start, durationNanos: window.end - window.start, logger: logger)
        var summary = RecordingSummary()
        var pids = Set<Int32>()
        for sample in window.samples {
            // A frame-pointer stack as deep as the map holds was cut by the depth limit.
            let cut = sample.userStack.frames.count >= configuration.maxStackDepth
            assembler.add(sample, truncation: cut ? TruncationReason.depthLimit.label : nil)
            if cut { summary.truncatedSamples[TruncationReason.depthLimit.label, default: 0] += sample.count }
            summary.samples += sample.count
            pids.insert(sample.pid)
        }
        if let unwound = window.unwound {
            for (key, count) in unwound.counts {
                assembler.add(
                    pid: key.pid, generation: key.generation, tid: key.tid, comm: key.comm,
                    userStack: .frames(key.user.frames), kernelStack: key.kernel,
                    truncation: key.user.truncation?.label, exactUserFrames: key.user.exactFrames, count: count)
                summary.samples += count
                pids.insert(key.pid)
            }
            summary.dwarfUnwoundSamples = unwound.unwoundSamples
            for (reason, count) in unwound.truncatedSamples {
                summary.truncatedSamples[reason.label, default: 0] += count
            }
            if unwound.warmUnwinds > 0 {
                let (seconds, attoseconds) = unwound.warmUnwindTime.components
                let micros = Double(seconds) * 1e6 + Double(attoseconds) / 1e12
                summary.warmUnwindMicroseconds = micros / Double(unwound.warmUnwinds)
            }
        }
        summary.framePointerProcesses = window.framePointerProcesses
        summary.unwinder = window.unwinder
        summary.unwind = configuration.unwind
        summary.processes = pids.count
        summary.idleSamples = configuration.includeIdle ? 0 : window.counters.idle
        summary.counters = window.counters
        summary.frames = assembler.frames
        summary.unsymbolizedFrames = assembler.unsymbolizedFrames
        summary.durationSeconds = Double(window.end - window.start) / 1e9
        summary.cpus = PerfEvent.onlineCPUs().count
        summary.frequency = configuration.frequency
        return (assembler.build(), summary)
    }
}
