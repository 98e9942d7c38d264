import Foundation
import Logging
import ProfileModel
import ProfileQuery
import ProfileStore

/// A store filled with profiles recorded for real, shared by the tests of this target (made once per process).
///
/// `scorch record` samples the whole host for 3 s while Tests/Workloads/split.c runs as `srvsplit` (75 % of its
/// time in `hot_a`, 25 % in `hot_b`) and Tests/Workloads/deep.c as `srvdeep` (60 frames of recursion), so the
/// recording has at least two processes and a deep tree however quiet the host is. The recording is stored as windows of 10 s ending a few minutes before the
/// fixture was made, so the API's defaults (the last hour) find them: even windows hold the whole recording, odd
/// ones only the workload's samples. The first 30 windows (5 minutes) are then compacted into one block, as the
/// agent does with windows older than an hour, so series see both kinds of block. A gap of one minute separates
/// the two halves of the windows, so series have a stretch without data.
struct RecordedStore: Sendable {
    /// The store directory.
    let directory: String
    /// The whole recording and its workload-only part.
    let recording: Profile
    let workloadOnly: Profile
    /// The windows as appended: start, end, whether it holds the whole recording.
    let windows: [(start: Int64, end: Int64, whole: Bool)]
    /// The start of the first window and the end of the last: a 5-minute multiple.
    let start: Int64
    let end: Int64

    static let windowNanos: Int64 = 10_000_000_000
    static let windowCount = 60
    static let gapAfter = 40
    static let gapNanos: Int64 = 300_000_000_000
    static let workload = "srvsplit"

    /// The shared fixture; recorded on first use.
    static let shared: Result<RecordedStore, any Error> = Result { try RecordedStore() }

    static func get() throws -> RecordedStore { try shared.get() }

    private init() throws {
        let work = try makeTemporaryDirectory("scorch-server-fixture")
        let source = work.appendingPathComponent("\(Self.workload).c")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Tests/Workloads/split.c"), to: source)
        let deepSource = work.appendingPathComponent("srvdeep.c")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Tests/Workloads/deep.c"), to: deepSource)
        var workloads: [Process] = []
        defer {
            for workload in workloads {
                if workload.isRunning { kill(workload.processIdentifier, SIGKILL) }
                workload.waitUntilExit()
            }
        }
        for (source, arguments) in [(source, ["3", "1", "30"]), (deepSource, ["60"])] {
            let binary = source.deletingPathExtension().path
            let compiled = try run(
                "/usr/bin/cc", ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline", source.path, "-o", binary])
            guard compiled.status == 0 else { throw TestFailure("cc failed: \(compiled.stderr)") }
            let workload = Process()
            workload.executableURL = URL(fileURLWithPath: binary)
            workload.arguments = arguments
            try workload.run()
            workloads.append(workload)
        }
        let output = work.appendingPathComponent("recording.pb.gz").path
        let recorded = try run(
            scorchPath, ["record", "--duration", "3s", "--frequency", "199", "--output", output])
        guard recorded.status == 0 else {
            throw TestFailure("scorch record failed (\(recorded.status)); it needs root: \(recorded.stderr)")
        }
        recording = try Profile(pprof: [UInt8](Data(contentsOf: URL(fileURLWithPath: output))))
        workloadOnly = recording.filtered(by: try Selector(parsing: "{comm=\"\(Self.workload)\"}"))
        guard !workloadOnly.samples.isEmpty else { throw TestFailure("the recording has no sample of srvsplit") }

        directory = work.appendingPathComponent("store").path
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let fiveMinutes: Int64 = 300_000_000_000
        // Ends 3 to 8 minutes ago, on a 5-minute boundary; 15 minutes long, so the first 30 windows form one
        // compaction bucket.
        let span = Int64(Self.windowCount) * Self.windowNanos + Self.gapNanos
        end = (now - 3 * 60_000_000_000) / fiveMinutes * fiveMinutes
        start = end - span
        var windows: [(start: Int64, end: Int64, whole: Bool)] = []
        var options = StoreOptions()
        options.compactAfter = .seconds(60)
        let store = try ProfileStore(directory: directory, options: options, logger: Logger(label: "fixture"))
        for index in 0..<Self.windowCount {
            let windowStart = start + Int64(index) * Self.windowNanos + (index >= Self.gapAfter ? Self.gapNanos : 0)
            let whole = index % 2 == 0
            var profile = whole ? recording : workloadOnly
            profile.timeNanos = windowStart
            profile.durationNanos = Self.windowNanos
            try store.append(profile, start: windowStart, end: windowStart + Self.windowNanos)
            windows.append((windowStart, windowStart + Self.windowNanos, whole))
        }
        // Compacts only the first bucket: the others are younger than compactAfter at this `now`.
        try store.compact(now: start + fiveMinutes + 60_000_000_000)
        self.windows = windows
    }

    /// A read-only store on the fixture, as `scorch serve` opens it.
    func openReadOnly() throws -> ProfileStore {
        var options = StoreOptions()
        options.readOnly = true
        return try ProfileStore(directory: directory, options: options, logger: Logger(label: "test"))
    }

    /// The merge the API should return for `[from, to)` and `selector`, computed directly.
    func expected(from: Int64, to: Int64, selector: String = "{}") throws -> Profile {
        let parsed = try Selector(parsing: selector)
        return try openReadOnly().query(
            from: from, to: to, blocks: { $0.labels.mayMatch(parsed) }, where: { parsed.matches($0) })
    }
}

extension Int64 {
    /// As RFC 3339, for query parameters.
    var rfc3339: String { TimeExpression.rfc3339(self) }
}
