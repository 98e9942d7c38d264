import Foundation
import ProfileModel
import Testing

/// `scorch agent` and `scorch query` end to end: the real binary, the real kernel, a real store on disk.
@Suite(.serialized)
struct AgentTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory()
    }

    /// A running agent whose stderr is collected into a file.
    final class Agent {
        let process = Process()
        let log: URL

        init(store: String, log: URL, extra: [String] = []) throws {
            self.log = log
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: scorchPath)
            process.arguments = ["agent", "--store", store, "--window", "1s", "--frequency", "99"] + extra
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Samples of every window the agent logged as written.
        var loggedSamples: Int64 {
            output.split(separator: "\n").filter { $0.contains("window: ") && !$0.contains(" 0 bytes written") }
                .compactMap { line in line.firstMatch(of: /window: (\d+) samples/).flatMap { Int64($0.1) } }
                .reduce(0, +)
        }
    }

    func query(_ store: String, _ arguments: [String]) throws -> (Profile, CommandResult) {
        let output = directory.appendingPathComponent("query-\(UUID().uuidString).pb.gz").path
        let result = try run(scorchPath, ["query", "--store", store, "--format", "pprof", "--output", output] + arguments)
        guard result.status == 0 else { throw TestFailure("scorch query failed (\(result.status)): \(result.stderr)") }
        return (try Profile(pprof: [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))), result)
    }

    @Test func agentStoresWindowsThatQueryFinds() throws {
        let store = directory.appendingPathComponent("store").path
        let binary = try compile(
            "/usr/bin/cc", workload: "split.c", as: "agentsplit.c",
            flags: ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline"], in: directory)
        let workload = try Workload(binary, ["3", "1"])
        defer { workload.stop() }
        let agent = try Agent(store: store, log: directory.appendingPathComponent("agent.log"))
        Thread.sleep(forTimeInterval: 4.5)
        kill(agent.process.processIdentifier, SIGTERM)
        agent.process.waitUntilExit()
        #expect(agent.process.terminationStatus == 0, "SIGTERM flushes and exits 0: \(agent.output)")
        let windows = agent.output.split(separator: "\n").filter { $0.contains("window: ") }
        #expect(windows.count >= 4, "one line per window: \(agent.output)")

        let (profile, _) = try query(store, ["--from", "-1m", "--selector", "{comm=\"agentsplit\"}"])
        let a = profile.flat("hot_a")
        let b = profile.flat("hot_b")
        #expect(a + b > 200, "the workload is in the store: hot_a \(a), hot_b \(b)")
        let share = Double(a) * 100 / Double(max(1, a + b))
        #expect(abs(share - 75) < 6, "hot_a's share is \(share)%")
        #expect(profile.samples.allSatisfy { sample in
            sample.labels.contains { $0.key == "comm" && $0.string == "agentsplit" }
        }, "the selector kept only the workload")
        // Everything the agent logged is in the store.
        let (all, _) = try query(store, ["--from", "-1m"])
        #expect(Int64(all.samples.reduce(0) { $0 + $1.values[0] }) == agent.loggedSamples)
    }

    @Test func killedAgentLosesAtMostTheOpenWindow() throws {
        let store = directory.appendingPathComponent("crash-store").path
        var logged: Int64 = 0
        var lastWindow: Int64 = 0
        for round in 0..<5 {
            let agent = try Agent(store: store, log: directory.appendingPathComponent("crash-\(round).log"))
            Thread.sleep(forTimeInterval: 1.5 + Double(round % 3) * 0.7)
            kill(agent.process.processIdentifier, SIGKILL)
            agent.process.waitUntilExit()
            logged += agent.loggedSamples
            let last = agent.output.split(separator: "\n").last { $0.contains("window: ") }
            lastWindow = max(lastWindow, last?.firstMatch(of: /window: (\d+) samples/).flatMap { Int64($0.1) } ?? 0)
        }
        let (profile, _) = try query(store, ["--from", "-10m"])
        let stored = profile.samples.reduce(0) { $0 + $1.values[0] }
        // Every logged window is stored; a window appended but killed before its log line may be there too.
        #expect(stored >= logged && stored <= logged + lastWindow * 2, "stored \(stored), logged \(logged)")
    }

    @Test func badSelectorPointsAtTheCharacter() throws {
        let store = directory.appendingPathComponent("empty-store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        let result = try run(scorchPath, ["query", "--store", store.path, "--selector", "{comm ~ \"x\"}"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("^"), "a caret under the offending character: \(result.stderr)")
    }
}
