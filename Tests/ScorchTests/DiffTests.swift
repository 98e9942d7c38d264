import Foundation
import ProfileModel
import Testing

/// `scorch diff` end to end on real recordings: `split` shifted from 75/25 to 50/50 is a significant regression of
/// hot_b and fails the gate; two recordings of the same split are not, and pass it. `go tool pprof -diff_base` reads
/// the same files and agrees with our pprof diff.
@Suite(.serialized)
struct DiffTests {
    /// Recordings shared by the tests of this suite (three 3 s recordings, made once).
    final class Recordings: @unchecked Sendable {
        static let shared: Result<Recordings, TestFailure> = {
            do {
                return .success(try Recordings())
            } catch {
                return .failure(TestFailure("\(error)"))
            }
        }()

        let directory: URL
        let before: String
        let again: String
        let after: String

        private init() throws {
            let directory = try makeTemporaryDirectory()
            let binary = try compile(
                "/usr/bin/cc", workload: "split.c", as: "diffsplit.c",
                flags: ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline"], in: directory)
            self.directory = directory
            before = try Self.record(binary, "3", "1", to: directory.appendingPathComponent("before.pb.gz").path)
            again = try Self.record(binary, "3", "1", to: directory.appendingPathComponent("again.pb.gz").path)
            after = try Self.record(binary, "1", "1", to: directory.appendingPathComponent("after.pb.gz").path)
        }

        /// Records `binary a b` for 3 s into `path`.
        private static func record(_ binary: String, _ a: String, _ b: String, to path: String) throws -> String {
            let workload = try Workload(binary, [a, b])
            defer { workload.stop() }
            let result = try run(scorchPath, [
                "record", "--pid", "\(workload.pid)", "--duration", "3s", "--frequency", "199", "--output", path,
            ])
            guard result.status == 0 else { throw TestFailure("scorch record failed: \(result.stderr)") }
            return path
        }
    }

    func recordings() throws -> Recordings { try Recordings.shared.get() }

    func diff(_ arguments: [String]) throws -> CommandResult { try run(scorchPath, ["diff"] + arguments) }

    /// The table row of `function`: its cells, and whether its flat change is marked significant.
    func row(_ output: String, _ function: String) -> (cells: [Substring], flatMarked: Bool)? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasSuffix("  \(function)") }) else { return nil }
        let cells = line.split(separator: " ")
        return (cells, cells.count > 3 && cells[3] == "*")
    }

    @Test func shiftedSplitIsASignificantRegressionAndFailsTheGate() throws {
        let r = try recordings()
        let result = try diff([r.before, r.after, "--max-regression", "10"])
        #expect(result.status == 3, "gate fails: \(result.stdout)\n\(result.stderr)")
        let hotB = try #require(row(result.stdout, "hot_b"), "\(result.stdout)")
        #expect(hotB.flatMarked, "hot_b's growth is marked significant:\n\(result.stdout)")
        let delta = Double(hotB.cells[2].dropFirst().dropLast(2)) ?? 0
        #expect(hotB.cells[2].hasPrefix("+") && abs(delta - 25) < 6, "hot_b grew ~25 points: \(hotB.cells)")
        let hotA = try #require(row(result.stdout, "hot_a"))
        #expect(hotA.flatMarked && hotA.cells[2].hasPrefix("-"))
        #expect(result.stderr.contains("regression: hot_b: flat share"), "the gate names hot_b: \(result.stderr)")
        #expect(!result.stderr.contains("regression: hot_a"), "shrinking is no regression")
        #expect(result.stderr.contains("gate failed"))

        // Growth below the threshold passes, and without --max-regression there is no gate.
        #expect(try diff([r.before, r.after, "--max-regression", "50"]).status == 0)
        #expect(try diff([r.before, r.after]).status == 0)
        // Swapped: hot_b shrinks, hot_a grows.
        let swapped = try diff([r.after, r.before, "--max-regression", "10"])
        #expect(swapped.status == 3 && swapped.stderr.contains("regression: hot_a:"), "\(swapped.stderr)")
    }

    @Test func sameSplitShowsNoSignificantChangeAndPassesTheGate() throws {
        let r = try recordings()
        let result = try diff([r.before, r.again, "--max-regression", "2"])
        #expect(result.status == 0, "gate passes: \(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("No significant change."), "\(result.stdout)")
        #expect(result.stderr.contains("gate passed"))
        let hotB = try #require(row(result.stdout, "hot_b"), "\(result.stdout)")
        #expect(!hotB.flatMarked)
        // Absolute mode compares raw CPU time with the Poisson test. (Whether two recordings got the same CPU time
        // depends on what else the machine runs, so only the shape is checked here; the numbers are unit-tested.)
        let absolute = try diff([r.before, r.again, "--absolute"])
        #expect(absolute.status == 0 && absolute.stdout.contains("Absolute: raw values"), "\(absolute.stdout)")
        #expect(absolute.stdout.contains("Poisson test on sample counts"), "\(absolute.stdout)")
        // The gate is on shares even with --absolute.
        let gated = try diff([r.before, r.after, "--absolute", "--max-regression", "10"])
        #expect(gated.status == 3 && gated.stderr.contains("regression: hot_b: flat share"), "\(gated.stderr)")
    }

    @Test func goToolPprofDiffBaseAgreesWithOurPprofDiff() throws {
        let r = try recordings()
        let environment = ["HOME": r.directory.path, "PATH": "/usr/bin:/bin", "PPROF_TMPDIR": r.directory.path]
        for (mode, ours, pprofFlags) in [("absolute", ["--absolute"], [String]()), ("relative", [], ["-normalize"])] {
            let output = r.directory.appendingPathComponent("diff-\(mode).pb.gz").path
            let result = try diff([r.before, r.after, "--format", "pprof", "--output", output] + ours)
            #expect(result.status == 0, "\(result.stderr)")
            for sampleIndex in ["samples", "cpu"] {
                let common = ["tool", "pprof", "-top", "-sample_index=\(sampleIndex)"]
                let reference = try run(
                    "/usr/bin/go", common + pprofFlags + ["-diff_base", r.before, r.after], environment: environment)
                let mine = try run("/usr/bin/go", common + [output], environment: environment)
                #expect(reference.status == 0 && mine.status == 0, "\(reference.stderr)\n\(mine.stderr)")
                #expect(reference.stdout.contains("hot_b"), "\(reference.stdout)")
                #expect(mine.stdout == reference.stdout, "\(mode) \(sampleIndex):\n\(mine.stdout)\nvs\n\(reference.stdout)")
            }
        }
    }

    @Test func foldedAndJSONFormats() throws {
        let r = try recordings()
        let folded = try diff([r.before, r.after, "--format", "folded"])
        #expect(folded.status == 0)
        let lines = folded.stdout.split(separator: "\n")
        let hotB = try #require(lines.first { $0.hasPrefix("diffsplit;") && $0.contains(";work;hot_b ") })
        let counts = hotB.split(separator: " ").suffix(2).compactMap { Int64($0) }
        #expect(counts.count == 2 && counts[1] > counts[0] * 3 / 2, "hot_b: base < new: \(hotB)")
        // Relative: the base column is scaled to the new total.
        let sums = lines.map { $0.split(separator: " ").suffix(2).compactMap { Int64($0) } }
            .reduce((0, 0)) { ($0.0 + $1[0], $0.1 + $1[1]) }
        #expect(sums.0 == sums.1, "base scaled to the new total: \(sums)")

        let json = try diff([r.before, r.after, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let graph = try JSONDecoder().decode(FlameGraph.self, from: Data(json.stdout.utf8))
        #expect(graph.root.baseTotal == graph.root.total && graph.normalization == .relative)
        func find(_ node: FlameGraph.Node, _ name: String) -> FlameGraph.Node? {
            node.name == name ? node : node.children.lazy.compactMap { find($0, name) }.first
        }
        let node = try #require(find(graph.root, "hot_b"))
        #expect(node.total > (node.baseTotal ?? 0) * 3 / 2, "hot_b: \(node.total) now, \(node.baseTotal ?? 0) before")
        #expect(json.stdout.contains("\"base_self\"") && json.stdout.contains("\"base_total\""))
    }

    @Test func inputErrorsAreOneLineAndExit2() throws {
        let r = try recordings()
        let directory = r.directory
        let profile = try Profile(pprof: [UInt8](Data(contentsOf: URL(fileURLWithPath: r.before))))
        func write(_ profile: Profile, _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(profile.pprofData()).write(to: URL(fileURLWithPath: path))
            return path
        }
        var otherPeriod = profile
        otherPeriod.period *= 2
        var otherTypes = profile
        otherTypes.sampleTypes = [profile.sampleTypes[1]]
        otherTypes.samples = profile.samples.map { Sample(locationIDs: $0.locationIDs, values: [$0.values[1]]) }
        var empty = profile
        empty.samples = []
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: r.before)))
        let truncated = directory.appendingPathComponent("truncated.pb.gz").path
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: truncated))
        let garbage = directory.appendingPathComponent("garbage.pb").path
        try Data("not a profile".utf8).write(to: URL(fileURLWithPath: garbage))

        let cases: [([String], String)] = [
            ([r.before, try write(otherPeriod, "period.pb.gz")], "same frequency"),
            ([r.before, try write(otherTypes, "types.pb.gz")], "sample types"),
            ([try write(empty, "empty.pb.gz"), r.after], "base profile has no samples"),
            ([r.before, truncated], "truncated"),
            ([garbage, r.after], "garbage.pb: not a pprof profile"),
            ([r.before, "/nonexistent/new.pb.gz"], "cannot read /nonexistent/new.pb.gz"),
            ([r.before], "expected 2 pprof files"),
            ([r.before, r.after, "--alpha", "2"], "--alpha"),
            ([r.before, r.after, "--format", "svg"], "svg"),
            ([r.before, r.after, "--no-such-flag"], "no-such-flag"),
            ([r.before, r.after, "--sample-index", "bytes"], "no sample type bytes"),
            (["--base-from", "-1h", r.after], "--base-to"),
            (["--store", directory.appendingPathComponent("no-store").path, "--base-from", "-1h", "--base-to", "now",
              "--from", "-1h"], "no such directory"),
        ]
        for (arguments, expected) in cases {
            let result = try diff(arguments)
            #expect(result.status == 2, "\(arguments): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.hasPrefix("scorch: ") && result.stderr.split(separator: "\n").count == 1,
                    "one line: \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
