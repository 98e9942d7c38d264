import Foundation
import Logging
import ProfileModel
import Recorder
import Sampler
import Testing

/// The agent's two threads, against the real kernel: sampling never waits for symbolization.
@Suite(.serialized)
struct ContinuousProfilerTests {
    /// Builds Tests/Workloads/split.c (frame pointers, debug info) into a temporary directory.
    func buildSplit() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorch-recorder-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Workloads/split.c")
        let binary = directory.appendingPathComponent("split").path
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        compiler.arguments = ["-O2", "-g", "-fno-omit-frame-pointer", source.path, "-o", binary]
        try compiler.run()
        compiler.waitUntilExit()
        #expect(compiler.terminationStatus == 0)
        return binary
    }

    /// A consumer that stalls for seconds (a huge new binary to index, a slow disk) loses no snapshot: the sampling
    /// thread keeps draining a ring buffer that holds well under a second of them. A process that exited long before
    /// its window was symbolized is still symbolized, because exited processes are forgotten only after every
    /// window they appear in has been symbolized.
    @Test func aStalledConsumerLosesNoSampleAndExitedProcessesStaySymbolized() throws {
        let split = try buildSplit()
        let workload = Process()
        workload.executableURL = URL(fileURLWithPath: split)
        workload.arguments = ["3", "1", "1.5"]  // 1.5 s of CPU, then exit

        try workload.run()
        // Only the workload: about 100 snapshots a second of at most 8 KiB, so the 1 MiB ring buffer holds a
        // little over a second of them, a quarter of the stall.
        let configuration = SamplerConfiguration(
            frequency: 99, targetPIDs: [workload.processIdentifier], unwind: .dwarf, snapshotBytes: 8192,
            ringBufferBytes: 1 << 20)
        var profiler = ContinuousProfiler(sampler: configuration, window: .seconds(1), logger: Logger(label: "test"))
        profiler.drainInterval = .milliseconds(50)

        var windows: [ProfileWindow] = []
        let started = ContinuousClock.now
        try profiler.run(shouldStop: { ContinuousClock.now - started > .seconds(7) }) { window in
            // The first window stalls the consumer for 4 s: about four windows of snapshots arrive meanwhile.
            if windows.isEmpty { Thread.sleep(forTimeInterval: 4) }
            windows.append(window)
        }
        workload.waitUntilExit()

        #expect(windows.count >= 6, "\(windows.count) windows")
        let snapshots = windows.reduce(0) { $0 + $1.summary.counters.snapshots }
        let lost = windows.reduce(0) { $0 + $1.summary.counters.snapshotRingBufferFull }
        let unwound = windows.reduce(0) { $0 + $1.summary.dwarfUnwoundSamples }
        #expect(snapshots > 20, "\(snapshots) snapshots")
        #expect(lost == 0, "\(lost) snapshots lost to a full ring buffer while the consumer stalled")
        #expect(unwound == snapshots, "every snapshot sent was unwound into some window")
        #expect(windows.last!.assemblyTime < .seconds(2), "the consumer caught up")
        #expect(windows.dropFirst().contains { $0.assemblyTime > .seconds(2) }, "windows queued behind the stall")

        // split ran and exited during the stall; its samples are symbolized in the windows it was sampled in.
        let pid = Int64(workload.processIdentifier)
        var hot: [String: Int64] = [:]
        var splitSamples: Int64 = 0
        for window in windows {
            let profile = window.profile
            let names = Dictionary(uniqueKeysWithValues: profile.functions.map { ($0.id, $0.name) })
            let lines = Dictionary(uniqueKeysWithValues: profile.locations.map { ($0.id, $0.lines) })
            for sample in profile.samples where sample.labels.contains(where: { $0.key == "pid" && $0.number == pid }) {
                splitSamples += sample.values[0]
                guard let leaf = sample.locationIDs.first, let line = lines[leaf]?.first else { continue }
                hot[names[line.functionID] ?? "", default: 0] += sample.values[0]
            }
        }
        #expect(splitSamples > 20 && splitSamples == Int64(snapshots), "\(splitSamples) samples of split")
        let symbolized = (hot["hot_a"] ?? 0) + (hot["hot_b"] ?? 0)
        #expect(symbolized * 10 >= splitSamples * 9, "hot_a/hot_b on \(symbolized) of \(splitSamples) leaves: \(hot)")
    }
}
