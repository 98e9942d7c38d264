import ArgumentParser
import Logging
import ProfileModel
import ProfileQuery
import ProfileStore
import Recorder

/// `scorch query`: merge stored windows into one profile.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Merge the windows of a store that match a time range and a label selector.",
        discussion: """
            Times accept RFC 3339 (2026-11-25T08:00:00Z), relative forms (-1h, -30m, now) and Unix seconds.
            Selectors use Prometheus label matchers over pid, tid, comm, thread_name, exe:
              scorch query --store /var/lib/scorch --from -1h --selector '{comm="python3", pid!="1"}' --format top
            Reads the store without locking it, so it works while the agent runs.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case pprof, folded, top
    }

    @Option(help: "Store directory.")
    var store = "/var/lib/scorch"

    @Option(parsing: .unconditional, help: "Start of the range (default: -1h).")
    var from = "-1h"

    @Option(parsing: .unconditional, help: "End of the range (default: now).")
    var to = "now"

    @Option(help: "Prometheus-style label selector, e.g. '{comm=\"python3\"}'.")
    var selector = "{}"

    @Option(help: "Output format: pprof, folded or top.")
    var format: Format = .top

    @Option(name: .shortAndLong, help: "Output file, or - for standard output (default: - for top and folded, profile.pb.gz for pprof).")
    var output: String?

    @Option(help: "Rows for --format top.")
    var nodes = 20

    func run() throws {
        try reportingErrors {
            let now = Recorder.wallClockNanos()
            let range: TimeRange
            let parsedSelector: Selector
            do {
                range = try TimeRange(
                    from: TimeExpression.parse(from, now: now), to: TimeExpression.parse(to, now: now))
                parsedSelector = try Selector(parsing: selector)
            } catch {
                throw CLIError("\(error)", exitCode: 2)
            }
            let destination = OutputFile(path: output ?? (format == .pprof ? "profile.pb.gz" : "-"))
            try destination.checkWritable()
            var options = StoreOptions()
            options.readOnly = true
            let profile: Profile
            do {
                let opened = try ProfileStore(directory: store, options: options, logger: makeLogger(verbose: false))
                // Blocks whose label summary rules the selector out are not even read.
                profile = try opened.query(
                    from: range.from, to: range.to, blocks: { $0.labels.mayMatch(parsedSelector) },
                    where: { parsedSelector.matches($0) })
            } catch {
                throw CLIError("\(error)")
            }
            switch format {
            case .pprof: try destination.write(profile.pprofData())
            case .folded: try destination.write(Array(FoldedStacks.render(profile).utf8))
            case .top: try destination.write(Array(TopReport(profile, sampleIndex: nil).render(nodes: nodes).utf8))
            }
        }
    }
}
