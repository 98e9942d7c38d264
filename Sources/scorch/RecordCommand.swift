import ArgumentParser
import BPFRuntime
import Logging
import ProfileModel
import Recorder
import Sampler

/// `scorch record`: sample the host (or some processes) for a while and write a pprof or folded profile.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Sample CPU stacks of the whole host (or of some processes) and write a profile.",
        discussion: """
            Needs root, or CAP_BPF and CAP_PERFMON. Ctrl-C ends the recording early and still writes the profile.
            The summary on stderr says how many samples were recorded and everything that was lost, by reason.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case pprof, folded
    }

    @Option(name: .shortAndLong, help: "How long to record: 10s, 500ms, 2m, 1h.")
    var duration = DurationArgument(argument: "10s")!

    @Option(name: .shortAndLong, help: "Samples per second on each CPU.")
    var frequency = 99

    @Option(name: .shortAndLong, help: "Record only this process (repeatable; default: every process).")
    var pid: [Int32] = []

    @Option(name: .shortAndLong, help: "Output file, or - for standard output (default: profile.pb.gz or profile.folded).")
    var output: String?

    @Option(help: "Output format: pprof (gzip protobuf, for go tool pprof) or folded (for flamegraph.pl).")
    var format: Format = .pprof

    @Flag(help: "Keep samples of the idle task (pid 0) instead of only counting them.")
    var includeIdle = false

    @Option(help: "User stacks: auto (DWARF where frame pointers fall short), fp (frame pointers only), dwarf.")
    var unwind: UnwindMode = .auto

    @Option(help: "Bytes of user stack copied per sample for DWARF unwinding (power of two, 1024...65536).")
    var snapshotBytes = 32768

    @Option(help: "Deepest frame-pointer stack recorded, in frames (at most 127).")
    var maxDepth = SamplerConfiguration.maxDepthLimit

    @Flag(name: .shortAndLong, help: "Log progress and symbolization details to stderr.")
    var verbose = false

    func run() throws {
        try reportingErrors {
            let logger = makeLogger(verbose: verbose)
            let configuration = SamplerConfiguration(
                frequency: frequency, targetPIDs: pid, includeIdle: includeIdle, maxStackDepth: maxDepth,
                unwind: unwind, snapshotBytes: snapshotBytes)
            if let problem = configuration.problem { throw CLIError(problem, exitCode: 2) }
            let destination = OutputFile(path: output ?? (format == .pprof ? "profile.pb.gz" : "profile.folded"))
            try destination.checkWritable()

            StopSignal.install()
            let recorder = Recorder(sampler: configuration, duration: duration.duration, logger: logger)
            let result: Recorder.Result
            do {
                result = try recorder.record(shouldStop: { StopSignal.isRequested })
            } catch let error as BPFError {
                throw CLIError(error)
            }
            let bytes: [UInt8]
            switch format {
            case .pprof: bytes = result.profile.pprofData()
            case .folded: bytes = Array(FoldedStacks.render(result.profile).utf8)
            }
            try destination.write(bytes)
            for line in result.summary.lines { writeStandardError("\(line)\n") }
            if !destination.isStandardOutput {
                writeStandardError("wrote \(destination.path) (\(bytes.count) bytes, \(format.rawValue))\n")
            }
        }
    }
}

extension UnwindMode: ExpressibleByArgument {}

func makeLogger(verbose: Bool) -> Logger {
    var logger = Logger(label: "scorch") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = verbose ? .debug : .warning
    return logger
}
