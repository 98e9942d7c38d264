import ArgumentParser
import BPFRuntime
import Glibc
import Logging
import ProfileStore
import Recorder
import Sampler
import ScorchServer
import Synchronization

/// `scorch agent`: profile the whole host continuously into the embedded store.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Profile the whole host continuously and keep the history in a local store.",
        discussion: """
            Every window the agent drains the samples, symbolizes them and appends the window to the store, logging
            one line: samples, processes, losses by reason, bytes written, time spent. SIGINT or SIGTERM flushes the
            open window and exits 0. Query the store with `scorch query --store DIR`, or open the web UI and the HTTP
            API on --listen (default http://127.0.0.1:7070/; /metrics has the agent's counters).
            Needs root, or CAP_BPF and CAP_PERFMON (and write access to the store).
            """
    )

    @Option(help: "Store directory (created if missing).")
    var store = "/var/lib/scorch"

    @Option(name: .shortAndLong, help: "Samples per second on each CPU (a prime avoids lockstep with periodic work).")
    var frequency = 19

    @Option(help: "Length of a stored window: 10s, 1m.")
    var window = DurationArgument(argument: "10s")!

    @Option(help: "Keep windows this long: 7d, 12h.")
    var retention = DurationArgument(argument: "7d")!

    @Option(help: "Largest total size of the store: 1GiB, 500MB.")
    var maxStoreSize = ByteSizeArgument(argument: "1GiB")!

    @Option(help: "User stacks: auto (DWARF where frame pointers fall short), fp, dwarf.")
    var unwind: UnwindMode = .auto

    @OptionGroup var server: ServerOptions

    @Flag(name: .shortAndLong, help: "Log debug details to stderr.")
    var verbose = false

    func run() throws {
        try reportingErrors {
            var logger = makeLogger(verbose: verbose)
            if !verbose { logger.logLevel = .info }
            // The sampling thread drains snapshots every 100 ms whatever symbolization is doing; its own stalls (the
            // first unwinds in a new process load its unwind tables) are absorbed by a ring buffer that holds a
            // second of full-size snapshots on every CPU (the 2 MiB minimum at 19 Hz on two CPUs). The kernel maps
            // its data pages twice, so it counts double in RSS.
            let snapshotBytes = 32768
            let perCPU = min(16 << 20, max(1, frequency) * snapshotBytes)
            let configuration = SamplerConfiguration(
                frequency: frequency, unwind: unwind, snapshotBytes: snapshotBytes,
                ringBufferBytes: SamplerConfiguration.ringBufferBytes(perCPU: perCPU))
            if let problem = configuration.problem { throw CLIError(problem, exitCode: 2) }
            guard window.duration >= .seconds(1) else { throw CLIError("--window must be at least 1s", exitCode: 2) }
            let serverConfiguration = try server.configuration()

            var options = StoreOptions()
            options.retention = retention.duration
            options.maxBytes = maxStoreSize.bytes
            let profiles: ProfileStore
            do {
                profiles = try ProfileStore(directory: store, options: options, logger: logger)
            } catch {
                throw CLIError("\(error)")
            }

            StopSignal.install()
            let counters = SharedAgentCounters()
            // The API runs on the concurrency pool; sampling, symbolizing and store maintenance keep their threads.
            let http = try serverConfiguration.map { configuration throws(CLIError) in
                try BackgroundServer(
                    ScorchServer(store: profiles, configuration: configuration, agentMetrics: counters, logger: logger))
            }
            defer { http?.stop() }
            let agent = ContinuousProfiler(sampler: configuration, window: window.duration, logger: logger)
            logger.info(
                "scorch agent started",
                metadata: ["store": "\(store)", "frequency": "\(frequency)", "window": "\(window)",
                           "unwind": "\(unwind.rawValue)", "http": "\(http.map { "http://\($0.address)/" } ?? "off")"])
            let maintenance: StoreMaintenance
            do {
                maintenance = try StoreMaintenance(store: profiles, interval: .seconds(60), logger: logger)
            } catch {
                throw CLIError("\(error)")
            }
            defer { maintenance.stop() }
            do {
                try agent.run(shouldStop: { StopSignal.isRequested }) { window in
                    counters.update { $0.add(window.summary) }
                    var written = 0
                    do throws(StoreError) {
                        written = try profiles.append(window.profile, start: window.start, end: window.end)
                        counters.update { counters in
                            counters.windowsWritten += 1
                            counters.storeBytesWritten += UInt64(written)
                        }
                    } catch {
                        counters.update { $0.writeErrors["\(error.code)", default: 0] += 1 }
                        logger.error("\(error)")
                    }
                    logger.info("\(Self.windowLine(window, bytesWritten: written))")
                }
            } catch let error as BPFError {
                throw CLIError(error)
            }
            let final = counters.current
            logger.info(
                "scorch agent stopped",
                metadata: ["windows": "\(final.windowsWritten)", "samples": "\(final.samples)",
                           "bytes": "\(final.storeBytesWritten)"])
        }
    }

    /// One line per window: samples, processes, losses by reason, bytes written, time spent.
    static func windowLine(_ window: ProfileWindow, bytesWritten: Int) -> String {
        let summary = window.summary
        let losses = summary.counters.losses.map { "\($0.reason) \($0.count)" }
        let truncated = summary.truncatedSamples.values.reduce(0, +)
        let (seconds, attoseconds) = window.assemblyTime.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return "window: \(summary.samples) samples, \(summary.processes) processes, "
            + "lost: \(losses.isEmpty ? "none" : losses.joined(separator: ", ")), truncated stacks: \(truncated), "
            + "\(bytesWritten) bytes written, \(milliseconds) ms"
    }
}

/// Retention and compaction on a thread of their own, every `interval`: the store runs them under its maintenance
/// lock while appends go on, so a long compaction never delays a window.
final class StoreMaintenance: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)

    init(store: ProfileStore, interval: Duration, logger: Logger) throws(ThreadError) {
        let started = try JoinableThread(name: "scorch-store") { [self] in
            let clock = ContinuousClock()
            var next = clock.now.advanced(by: interval)
            while !self.stopping.load(ordering: .acquiring) {
                guard clock.now >= next else {
                    sleepUninterrupted(min(.milliseconds(100), next - clock.now))
                    continue
                }
                let now = Recorder.wallClockNanos()
                do {
                    try store.enforceRetention(now: now)
                    try store.compact(now: now)
                } catch {
                    logger.error("store maintenance failed: \(error)")
                }
                next = clock.now.advanced(by: interval)
            }
        }
        thread.withLock { $0 = started }
    }

    /// Asks the thread to stop and waits for it (a maintenance pass under way finishes first).
    func stop() {
        stopping.store(true, ordering: .releasing)
        thread.withLock { $0 }?.join()
    }
}

/// The agent's counters, updated by the window loop and read by `/metrics` on the server's threads.
final class SharedAgentCounters: AgentMetricsSource {
    private let counters = Mutex(AgentCounters())

    func update(_ body: (inout AgentCounters) -> Void) {
        counters.withLock { body(&$0) }
    }

    var current: AgentCounters { counters.withLock { $0 } }

    func currentAgentMetrics() -> AgentMetrics {
        let counters = current
        var metrics = AgentMetrics()
        metrics.samples = counters.samples
        metrics.losses = counters.losses
        metrics.truncatedStacks = counters.truncatedStacks
        metrics.frames = counters.frames
        metrics.unsymbolizedFrames = counters.unsymbolizedFrames
        metrics.windowsWritten = counters.windowsWritten
        metrics.storeBytesWritten = counters.storeBytesWritten
        metrics.writeErrors = counters.writeErrors
        return metrics
    }
}
