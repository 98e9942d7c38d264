import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Really kills a writer process with SIGKILL at random moments and checks what survives.
///
/// The writer is this test executable itself, started with `SCORCH_STORE_CRASH_WRITER` set so that only
/// ``crashWriterChild()`` does anything: it appends windows forever and, after each `append` returns, records how
/// many windows are committed. The parent kills it, reopens the store and checks that every committed window is
/// there and identical, that at most the one window in flight was lost or half-written, and that a torn tail was
/// truncated and reported.
@Suite(.serialized) struct CrashTests {
    static let writerVariable = "SCORCH_STORE_CRASH_WRITER"
    static let committedVariable = "SCORCH_STORE_CRASH_COMMITTED"
    /// Windows of about 20 KB, so a kill sometimes lands inside a write.
    static let workload = Workload(seed: 5, processes: 20, stacks: 300, depth: 16, frequency: 19, cpus: 2)

    /// The writer half: a no-op unless started by ``killedWritersLoseAtMostTheWindowInFlight()``.
    @Test func crashWriterChild() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let directory = environment[Self.writerVariable], let committedPath = environment[Self.committedVariable]
        else { return }
        let store = try openStore(directory)
        var next = try store.windows(from: everything.from, to: everything.to).count
        let fd = open(committedPath, O_WRONLY | O_CREAT, 0o644)
        defer { close(fd) }
        // The first profiles are generated up front, so that a kill mostly lands in the store's own work.
        let first = next
        let profiles = (first..<first + 8).map(Self.workload.window)
        // Never outlive a parent that died: stop after a minute.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let (start, end) = Self.workload.range(next)
            let profile = next - first < profiles.count ? profiles[next - first] : Self.workload.window(next)
            try store.append(profile, start: start, end: end)
            next += 1
            let text = Array(String(next).utf8) + [UInt8](repeating: 0x20, count: 20 - String(next).utf8.count)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    @Test(.timeLimit(.minutes(5))) func killedWritersLoseAtMostTheWindowInFlight() throws {
        guard ProcessInfo.processInfo.environment[Self.writerVariable] == nil else { return }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let storePath = directory.appending("store")
        let committedPath = directory.appending("committed")
        var windows: [Int: Profile] = [:]
        func window(_ index: Int) -> Profile {
            if let profile = windows[index] { return profile }
            let profile = Self.workload.window(index)
            windows[index] = profile
            return profile
        }
        var generator = SystemRandomNumberGenerator()
        var stored = 0
        var torn = 0
        var inFlightSurvived = 0
        let kills = 20
        for round in 0..<kills {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["--testing-library", "swift-testing", "--filter", "crashWriterChild"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.writerVariable] = storePath
            environment[Self.committedVariable] = committedPath
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            let errors = directory.appending("child-\(round).err")
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            child.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            try child.run()

            // Wait for the child to commit at least one window of its own, then kill it a random moment later.
            let deadline = Date().addingTimeInterval(60)
            while Self.committed(committedPath) <= stored && Date() < deadline && child.isRunning {
                usleep(1000)
            }
            let childErrors = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            try #require(child.isRunning, "the writer exited early: \(childErrors)")
            usleep(UInt32.random(in: 0...80_000, using: &generator))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)

            let committed = Self.committed(committedPath)
            let recorder = LogRecorder()
            let store = try openStore(storePath, recorder: recorder)
            let statistics = store.statistics
            let infos = try store.windows(from: everything.from, to: everything.to)
            // Every window reported committed is there; at most the one in flight also made it.
            #expect(infos.count == committed || infos.count == committed + 1, "round \(round)")
            if infos.count == committed + 1 { inFlightSurvived += 1 }
            #expect(infos.map(\.start) == (0..<infos.count).map { Self.workload.range($0).start }, "round \(round)")
            #expect(statistics.corruptBlocksSkipped == 0, "round \(round)")
            if statistics.tornTailsTruncated > 0 {
                torn += 1
                #expect(recorder.messages().contains { $0.contains("torn tail") })
            }
            // The newest windows read back identical.
            for index in max(0, infos.count - 2)..<infos.count {
                let (start, _) = Self.workload.range(index)
                #expect(try store.query(from: start, to: start + 1) == Profile.merge([window(index)]), "round \(round)")
            }
            stored = infos.count
        }
        let store = try openStore(storePath, readOnlyOptions)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge((0..<stored).map(window)))
        // Not a print in a library: the report of this test, for people reading the test log.
        print(
            "crash test: \(kills) kills, \(stored) windows stored, \(torn) torn tails truncated, "
                + "\(inFlightSurvived) windows in flight survived")
    }

    /// The committed count the writer last recorded (0 before it recorded any).
    static func committed(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespaces)) ?? 0
    }
}
