import Foundation
import ProfileModel
import Testing

/// `scorch diff` between two ranges of a real store written by the agent: the split of one workload shifts from
/// 75/25 to 50/50 halfway; the diff of the two ranges uses the bootstrap over windows and fails the gate.
@Suite(.serialized)
struct DiffStoreTests {
    @Test func storeRangesAreComparedWithABootstrapOverWindows() throws {
        let directory = try makeTemporaryDirectory()
        let store = directory.appendingPathComponent("store").path
        let binary = try compile(
            "/usr/bin/cc", workload: "split.c", as: "storesplit.c",
            flags: ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline"], in: directory)
        let agent = try AgentTests.Agent(store: store, log: directory.appendingPathComponent("agent.log"))
        defer { if agent.process.isRunning { kill(agent.process.processIdentifier, SIGKILL) } }
        // The first window loads kernel symbols; wait for it so the ranges below are all sampled.
        let deadline = Date().addingTimeInterval(120)
        while !agent.output.contains("window: ") {
            guard Date() < deadline, agent.process.isRunning else { throw TestFailure("no window: \(agent.output)") }
            Thread.sleep(forTimeInterval: 0.2)
        }
        func unixSeconds() -> Int64 { Int64(Date().timeIntervalSince1970) }

        let before = try Workload(binary, ["3", "1"])
        let start = unixSeconds() + 1
        Thread.sleep(forTimeInterval: 11)
        before.stop()
        let switched = unixSeconds()
        let after = try Workload(binary, ["1", "1"])
        Thread.sleep(forTimeInterval: 12)
        after.stop()
        let end = unixSeconds()
        kill(agent.process.processIdentifier, SIGTERM)
        agent.process.waitUntilExit()

        // 1 s windows: whole windows inside each range, one second of margin around the switch.
        let ranges = [
            "--store", store, "--selector", "{comm=\"storesplit\"}",
            "--base-from", "\(start)", "--base-to", "\(switched - 1)", "--from", "\(switched + 2)", "--to", "\(end)",
        ]
        let result = try run(scorchPath, ["diff", "--max-regression", "10"] + ranges)
        #expect(result.status == 3, "\(result.stdout)\n\(result.stderr)\n\(agent.output)")
        #expect(result.stdout.contains("bootstrap over windows"), "\(result.stdout)")
        let hotB = result.stdout.split(separator: "\n").first { $0.hasSuffix("  hot_b") }?.split(separator: " ")
        #expect(hotB?.count ?? 0 > 3 && hotB?[2].hasPrefix("+") == true && hotB?[3] == "*", "\(result.stdout)")
        #expect(result.stderr.contains("regression: hot_b:"), "\(result.stderr)")

        // The two halves of the 75/25 range: no significant change.
        let middle = (start + switched - 1) / 2
        let same = try run(scorchPath, [
            "diff", "--max-regression", "2", "--store", store, "--selector", "{comm=\"storesplit\"}",
            "--base-from", "\(start)", "--base-to", "\(middle)", "--from", "\(middle)", "--to", "\(switched - 1)",
        ])
        #expect(same.status == 0 && same.stdout.contains("No significant change."), "\(same.stdout)\n\(same.stderr)")

        // A file against a range: the recorded base is the pprof file, the new side the store.
        let query = try run(scorchPath, [
            "query", "--store", store, "--selector", "{comm=\"storesplit\"}", "--from", "\(start)", "--to",
            "\(switched - 1)", "--format", "pprof", "--output", directory.appendingPathComponent("base.pb.gz").path,
        ])
        #expect(query.status == 0, "\(query.stderr)")
        let mixed = try run(scorchPath, [
            "diff", directory.appendingPathComponent("base.pb.gz").path, "--store", store,
            "--selector", "{comm=\"storesplit\"}", "--from", "\(switched + 2)", "--to", "\(end)", "--format", "json",
        ])
        #expect(mixed.status == 0, "\(mixed.stderr)")
        let graph = try JSONDecoder().decode(FlameGraph.self, from: Data(mixed.stdout.utf8))
        #expect(graph.root.baseTotal == graph.root.total && graph.root.total > 0)
    }
}
