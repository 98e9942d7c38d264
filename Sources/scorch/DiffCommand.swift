import ArgumentParser
import FoundationEssentials
import ProfileModel
import ProfileQuery
import ProfileStore
import Recorder

/// `scorch diff`: what changed between two profiles, and whether the change is real.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two profiles: which functions changed, and whether the change is more than noise.",
        discussion: """
            Each side is a pprof file (Scorch's, Go's, any valid pprof) or a range of a store. Files fill the sides \
            that have no range, base first:
              scorch diff base.pb.gz new.pb.gz
              scorch diff --store /var/lib/scorch --base-from -2h --base-to -1h --from -1h --selector '{comm="api"}'
              scorch diff baseline.pb.gz --store /var/lib/scorch --from -10m
            By default both sides are shares of their own totals (percent; changes in percentage points); \
            --absolute compares raw values. A change is marked * when it is significant at --alpha: tested on the \
            sample counts (two-proportion z-test; a bootstrap over windows for store ranges), Holm-corrected over \
            all functions, so noise is not reported as change.
            Formats: top (the table), folded (`stack base new` lines for flamegraph.pl, as difffolded.pl writes \
            them), pprof (what `go tool pprof -diff_base BASE NEW` builds; relative adds pprof's -normalize), json \
            (the diff flame graph of the HTTP API, with base_self and base_total on every node).
            CI gate: --max-regression PP exits 3 when a function's flat share grew by more than PP percentage \
            points and the growth is significant, naming it on stderr. Exit codes: 0 ok, 2 usage or input error, \
            3 gate failed.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case top, folded, pprof, json
    }

    @Argument(help: "BASE and NEW pprof files (gzip-compressed or not); fewer when sides come from a store range.")
    var files: [String] = []

    @Option(help: "Output format: top, folded, pprof or json.")
    var format: Format = .top

    @Flag(help: "Compare raw values instead of shares of each side's total.")
    var absolute = false

    @Option(help: "Rows for --format top (0 for all).")
    var nodes = 20

    @Option(help: "Most nodes of the --format json tree.")
    var maxNodes = 8192

    @Option(
        name: .customLong("max-regression"),
        help: "Exit 3 when a function's flat share grows significantly by more than this many percentage points.")
    var maxRegression: Double?

    @Option(help: "Family-wise error rate of the significance marks and the gate.")
    var alpha = 0.01

    @Option(help: "Sample type to compare (index or name, e.g. cpu or samples; default: the profile's default).")
    var sampleIndex: String?

    @Option(
        name: .shortAndLong, help: "Output file, or - for standard output (default: - except diff.pb.gz for pprof).")
    var output: String?

    @Option(help: "Store directory for range sides.")
    var store = "/var/lib/scorch"

    @Option(parsing: .unconditional, help: "Start of the base range in the store (makes the base a store range).")
    var baseFrom: String?

    @Option(parsing: .unconditional, help: "End of the base range.")
    var baseTo: String?

    @Option(help: "Label selector of the base range (default: the --selector).")
    var baseSelector: String?

    @Option(parsing: .unconditional, help: "Start of the new range in the store (makes the new side a store range).")
    var from: String?

    @Option(parsing: .unconditional, help: "End of the new range.")
    var to = "now"

    @Option(help: "Label selector of the new range, e.g. '{comm=\"api\"}'.")
    var selector = "{}"

    func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1, e.g. 0.01") }
        guard nodes >= 0 else { throw ValidationError("--nodes must be 0 (all) or more") }
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1") }
        if let maxRegression, !(maxRegression >= 0 && maxRegression <= 100) {
            throw ValidationError("--max-regression must be between 0 and 100 percentage points")
        }
        if (baseFrom == nil) != (baseTo == nil) {
            throw ValidationError("a base range needs both --base-from and --base-to")
        }
    }

    func run() throws {
        try reportingErrors {
            try checkSides()
            let destination = OutputFile(path: output ?? (format == .pprof ? "diff.pb.gz" : "-"))
            try destination.checkWritable()
            let (base, new) = try loadSides()
            let index = try resolveSampleIndex(new.profile)
            let normalization: DiffNormalization = absolute ? .absolute : .relative
            let options = DiffOptions(normalization: normalization, alpha: alpha, sampleIndex: index)
            let report: DiffTopReport
            let gate: DiffTopReport
            do throws(ProfileError) {
                report = try DiffTopReport(base: base, new: new, options: options)
                var relative = options
                relative.normalization = .relative
                gate = absolute ? try DiffTopReport(base: base, new: new, options: relative) : report
            } catch {
                throw CLIError(error.message, exitCode: 2)
            }
            try destination.write(try render(report, base: base.profile, new: new.profile, options: options))
            if let maxRegression { try check(gate, maxRegression: maxRegression) }
        }
    }

    /// Files must fill exactly the sides without a store range. Checked here rather than in `validate()` so that
    /// ArgumentParser reports an unknown option first (it would otherwise look like a missing file).
    private func checkSides() throws(CLIError) {
        let expected = (baseFrom == nil ? 1 : 0) + (from == nil ? 1 : 0)
        guard files.count != expected else { return }
        let sides = expected == 2 ? "BASE and NEW" : expected == 1 ? (baseFrom == nil ? "BASE" : "NEW") : "none"
        throw CLIError(
            "expected \(expected) pprof \(expected == 1 ? "file" : "files") (\(sides)) besides the store ranges, "
                + "got \(files.count) (see 'scorch diff --help')", exitCode: 2)
    }

    /// The output bytes in the chosen format.
    private func render(_ report: DiffTopReport, base: Profile, new: Profile, options: DiffOptions) throws(CLIError)
        -> [UInt8]
    {
        do {
            switch format {
            case .top:
                return Array(report.render(nodes: nodes).utf8)
            case .folded:
                let column = try resolvedColumn(new, options)
                return Array(
                    FoldedStacks.renderDiff(
                        base: base, new: new, valueIndex: column, normalization: options.normalization
                    ).utf8)
            case .pprof:
                return try Profile.diffBase(base: base, new: new, normalization: options.normalization).pprofData()
            case .json:
                let graph = try FlameGraph(
                    diffOf: new, base: base, sampleIndex: options.sampleIndex, normalization: options.normalization,
                    maxNodes: maxNodes)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                do {
                    return Array(try encoder.encode(graph)) + [UInt8(ascii: "\n")]
                } catch {
                    throw CLIError("cannot encode the diff flame graph as JSON: \(error)")
                }
            }
        } catch let error as ProfileError {
            throw CLIError(error.message, exitCode: 2)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }

    private func resolvedColumn(_ profile: Profile, _ options: DiffOptions) throws(CLIError) -> Int {
        guard let column = options.sampleIndex ?? TopReport.defaultSampleIndex(of: profile) else {
            throw CLIError("the new profile has no sample types", exitCode: 2)
        }
        return column
    }

    /// The gate: exit 3 naming every function whose flat share grew significantly by more than the threshold.
    private func check(_ report: DiffTopReport, maxRegression: Double) throws {
        let failing = report.regressions(threshold: maxRegression)
        let test = report.test == .none ? "untested: \(report.test.summary)" : "significant at alpha \(alpha)"
        guard !failing.isEmpty else {
            writeStandardError(
                "scorch: gate passed: no function's flat share grew by more than \(maxRegression)pp (\(test))\n")
            return
        }
        for row in failing {
            let p = row.flat.adjustedPValue.map { ", adjusted p \(Self.short($0))" } ?? ""
            writeStandardError(
                "scorch: regression: \(row.name): flat share \(Self.points(row.flat.base))% → "
                    + "\(Self.points(row.flat.new))% (+\(Self.points(row.flat.delta))pp\(p))\n")
        }
        writeStandardError(
            "scorch: gate failed: \(failing.count) \(failing.count == 1 ? "function's" : "functions'") flat share "
                + "grew by more than \(maxRegression)pp (\(test))\n")
        throw ExitCode(3)
    }

    private static func points(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func short(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : "\(Double(Int64((p * 1000).rounded())) / 1000)"
    }

    // MARK: Sides

    private func loadSides() throws(CLIError) -> (DiffSide, DiffSide) {
        var remaining = files[...]
        let now = Recorder.wallClockNanos()
        var opened: ProfileStore?
        func storeSide(_ name: String, from: String, to: String, selector: String) throws(CLIError) -> DiffSide {
            if opened == nil {
                var options = StoreOptions()
                options.readOnly = true
                do {
                    opened = try ProfileStore(directory: store, options: options, logger: makeLogger(verbose: false))
                } catch {
                    throw CLIError("\(error)", exitCode: 2)
                }
            }
            guard let opened else { throw CLIError("cannot open the store \(store)", exitCode: 2) }
            return try StoreSide.load(
                opened, name: name, from: from, to: to, selector: selector, now: now)
        }
        func fileSide() throws(CLIError) -> DiffSide {
            guard let path = remaining.popFirst() else { throw CLIError("missing a pprof file", exitCode: 2) }
            let bytes: [UInt8]
            do {
                bytes = try readWholeFile(path)
            } catch {
                throw CLIError(error.message, exitCode: 2)
            }
            do {
                return DiffSide(try Profile(pprof: bytes))
            } catch {
                throw CLIError("\(path): \(error.message)", exitCode: 2)
            }
        }
        let base: DiffSide
        if let baseFrom {
            base = try storeSide("base", from: baseFrom, to: baseTo ?? "now", selector: baseSelector ?? selector)
        } else {
            base = try fileSide()
        }
        let new: DiffSide
        if let from {
            new = try storeSide("new", from: from, to: to, selector: selector)
        } else {
            new = try fileSide()
        }
        return (base, new)
    }

    private func resolveSampleIndex(_ profile: Profile) throws(CLIError) -> Int? {
        guard let sampleIndex else { return nil }
        let index = Int(sampleIndex) ?? profile.sampleTypes.firstIndex { $0.type == sampleIndex }
        guard let index, profile.sampleTypes.indices.contains(index) else {
            let known = profile.sampleTypes.map(\.type).joined(separator: ", ")
            throw CLIError("no sample type \(sampleIndex) in the new profile (it has: \(known))", exitCode: 2)
        }
        return index
    }
}
