import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
            // Port 0: agents of other tests (or a developer's agent on 7070) never collide.
            process.arguments = ["agent", "--store", store, "--window", "1s", "--frequency", "99"]
                + (extra.contains("--listen") ? [] : ["--listen", "127.0.0.1:0"]) + extra
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
        // libdw must not fall back to debuginfod for binaries without local debug info: that would load
        // libdebuginfod, libcurl and TLS libraries (~7 MB) into the agent for a server that is not there.
        let maps = try String(contentsOfFile: "/proc/\(agent.process.processIdentifier)/maps", encoding: .utf8)
        #expect(!maps.contains("libdebuginfod") && !maps.contains("libcurl"), "debuginfod client loaded")
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

    /// A store on a real file system that fills up while the agent runs: the agent logs and counts each failed
    /// window, keeps sampling, and writes again once space returns; nothing it logged as written is lost.
    @Test func fullDiskIsReportedAndWritingResumesWhenSpaceReturns() throws {
        let mountPoint = directory.appendingPathComponent("small-fs")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.path])
        try #require(mount.status == 0, "mounting a tmpfs needs root: \(mount.stderr)")
        defer { _ = try? run("/bin/umount", ["-l", mountPoint.path]) }
        let store = mountPoint.appendingPathComponent("store").path
        let binary = try compile(
            "/usr/bin/cc", workload: "split.c", as: "fullsplit.c",
            flags: ["-O1", "-g", "-fno-omit-frame-pointer"], in: directory)
        let workload = try Workload(binary, ["3", "1"])
        defer { workload.stop() }
        let agent = try Agent(store: store, log: directory.appendingPathComponent("full.log"))
        defer { if agent.process.isRunning { kill(agent.process.processIdentifier, SIGKILL) } }
        func windowLines() -> [Substring] { agent.output.split(separator: "\n").filter { $0.contains("window: ") } }
        // Waits (up to two minutes: the first window loads kernel symbols and debug info) for `condition`.
        func wait(_ what: String, until condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(120)
            while !condition() {
                guard Date() < deadline, agent.process.isRunning else {
                    throw TestFailure("gave up waiting for \(what): \(agent.output)")
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        try wait("a first stored window") { windowLines().contains { !$0.contains(" 0 bytes written") } }

        // Fill the file system to the last byte.
        let filler = mountPoint.appendingPathComponent("filler").path
        let fill = try run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=4096"])
        #expect(fill.stderr.contains("No space left"), "\(fill.stderr)")
        let before = windowLines().count
        try wait("two failed windows") { agent.output.components(separatedBy: "disk full (ENOSPC)").count > 2 }
        try wait("the failed windows' lines") { windowLines().count >= before + 2 }
        let whileFull = agent.output
        try FileManager.default.removeItem(atPath: filler)
        let failedSoFar = agent.output.components(separatedBy: "disk full").count
        try wait("a stored window after space returned") {
            agent.output.components(separatedBy: "disk full").count == failedSoFar
                && windowLines().suffix(2).allSatisfy { !$0.contains(" 0 bytes written") }
                && windowLines().count >= before + 4
        }
        kill(agent.process.processIdentifier, SIGTERM)
        agent.process.waitUntilExit()
        #expect(agent.process.terminationStatus == 0, "\(agent.output)")

        let lines = agent.output.split(separator: "\n")
        let fullErrors = whileFull.split(separator: "\n").filter { $0.contains("disk full (ENOSPC)") }
        #expect(fullErrors.count >= 2, "each failed window is reported: \(whileFull)")
        #expect(fullErrors.allSatisfy { $0.contains("the window was not stored") })
        let failed = lines.filter { $0.contains("window: ") && $0.contains(" 0 bytes written") }
        #expect(failed.count >= 2 && failed.allSatisfy { !$0.contains("window: 0 samples") }, "sampling went on")
        let afterwards = lines.drop { !$0.contains("disk full") }.filter { $0.contains("window: ") }
        #expect(afterwards.contains { !$0.contains(" 0 bytes written") }, "writing resumed: \(agent.output)")

        // Every window logged as written is in the store, none of the failed ones.
        let (all, _) = try query(store, ["--from", "-1m"])
        #expect(Int64(all.samples.reduce(0) { $0 + $1.values[0] }) == agent.loggedSamples)
        #expect(all.flat("hot_a") > 0)
    }

    /// The agent serves the API while it samples: the flame graph of the last minute over HTTP holds the workload,
    /// /metrics counts the windows it logged, the token is enforced, and SIGTERM still flushes and exits 0.
    @Test func agentServesTheAPIWhileSampling() async throws {
        let store = directory.appendingPathComponent("api-store").path
        let binary = try compile(
            "/usr/bin/cc", workload: "split.c", as: "apisplit.c",
            flags: ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline"], in: directory)
        let workload = try Workload(binary, ["3", "1"])
        defer { workload.stop() }
        let agent = try Agent(
            store: store, log: directory.appendingPathComponent("api.log"),
            extra: ["--listen", "127.0.0.1:0", "--auth-token", "agent-token"])
        defer { if agent.process.isRunning { kill(agent.process.processIdentifier, SIGKILL) } }
        var port: String?
        var windows = 0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, agent.process.isRunning, port == nil || windows < 3 {
            port = port ?? agent.output.firstMatch(of: /http=http:\/\/127\.0\.0\.1:(\d+)\//).map { String($0.1) }
            windows = agent.output.split(separator: "\n").filter { $0.contains("window: ") }.count
            try await Task.sleep(for: .milliseconds(200))
        }
        let base = try #require(port.map { "http://127.0.0.1:\($0)" }, "the agent logs its address: \(agent.output)")

        func get(_ path: String, token: String? = "agent-token") async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: base + path)!)
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        let selector = "%7Bcomm%3D%22apisplit%22%7D"
        let (status, graph) = try await get("/api/v1/flamegraph?from=-1m&selector=\(selector)")
        #expect(status == 200, "\(graph)")
        #expect(graph.contains("\"name\":\"hot_a\"") && graph.contains("\"name\":\"hot_b\""), "\(graph.prefix(500))")
        #expect(try await get("/api/v1/labels", token: nil).0 == 401)
        let (metricsStatus, metrics) = try await get("/metrics")
        #expect(metricsStatus == 200)
        let written = metrics.firstMatch(of: /\nscorch_windows_written_total (\d+)/).flatMap { Int($0.1) } ?? 0
        let samples = metrics.firstMatch(of: /\nscorch_samples_total (\d+)/).flatMap { Int($0.1) } ?? 0
        #expect(written >= 3 && samples > 0, "\(metrics)")

        kill(agent.process.processIdentifier, SIGTERM)
        agent.process.waitUntilExit()
        #expect(agent.process.terminationStatus == 0, "SIGTERM flushes and exits 0: \(agent.output)")
        // Everything the agent logged is in the store, the windows written while serving included.
        let (all, _) = try query(store, ["--from", "-5m"])
        #expect(Int64(all.samples.reduce(0) { $0 + $1.values[0] }) == agent.loggedSamples)
    }

    @Test func badSelectorPointsAtTheCharacter() throws {
        let store = directory.appendingPathComponent("empty-store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        let result = try run(scorchPath, ["query", "--store", store.path, "--selector", "{comm ~ \"x\"}"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("^"), "a caret under the offending character: \(result.stderr)")
    }
}
