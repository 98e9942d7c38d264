import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Measures bytes on disk per sample for a realistic host: 1000 stacks of depth 20 across 50 processes, 10 s
/// windows at 19 Hz on 2 CPUs (380 samples per window). Prints the numbers and fails when they regress, in
/// particular when fresh windows are not compressed with a shared dictionary.
@Suite struct StorageEfficiencyTests {
    @Test func bytesPerSampleForARealisticHost() throws {
        let workload = Workload()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.compactAfter = .seconds(1200)
        options.compactedResolution = .seconds(300)
        let store = try openStore(directory.path, options)
        // The first 10 minutes from an empty store (the dictionary learns the host), then 10 more: what every
        // window costs as it is appended, its share of dictionary frames included.
        let windows = 60
        var written = try appendWindows(store, workload, 0..<windows)
        let coldDisk = store.statistics.bytesOnDisk
        var steadyBytes = 0
        for index in windows..<2 * windows {
            let profile = workload.window(index)
            let (start, end) = workload.range(index)
            steadyBytes += try store.append(profile, start: start, end: end)
            written.append(profile)
        }
        let samples = windows * workload.samplesPerWindow
        let infos = try store.windows(from: everything.from, to: everything.to)
        let frames = infos.suffix(windows).map(\.storedBytes).reduce(0, +)
        let raw = infos.suffix(windows).map(\.rawBytes).reduce(0, +)
        let pprof = written.suffix(windows).reduce(0) { $0 + $1.pprofData(compressed: true).count }

        try store.compact(now: workload.range(2 * windows - 1).end + 1_200_000_000_000)
        let compactedDisk = store.statistics.bytesOnDisk
        #expect(store.statistics.blocks == 4)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))

        func perSample(_ bytes: some BinaryInteger, _ samples: Int = samples) -> Double {
            Double(Int(bytes)) / Double(samples)
        }
        func format(_ value: Double) -> String { String(format: "%.2f", value) }
        print(
            """
            storage efficiency (\(2 * windows) windows of \(workload.samplesPerWindow) samples):
              first 10 minutes on disk: \(coldDisk) bytes = \(format(perSample(coldDisk))) B/sample
              next 10 minutes as appended: \(steadyBytes) bytes = \(format(perSample(steadyBytes))) B/sample \
            (block frames \(format(perSample(frames))), payloads before compression \(format(perSample(raw))))
              after compaction into 5-minute blocks: \(compactedDisk) bytes = \
            \(format(perSample(compactedDisk, 2 * samples))) B/sample
              for comparison, gzipped pprof per window: \(format(perSample(pprof))) B/sample
            """)
        // Measured 19.1 (first 10 minutes, several dictionaries while it learns), 3.2 (next 10 minutes) and 3.3
        // (compacted) B/sample; 116, 116 and 9 in format version 1, when every window carried its own tables.
        #expect(perSample(coldDisk) < 25)
        #expect(perSample(steadyBytes) < 5)
        #expect(perSample(compactedDisk, 2 * samples) < 5)
    }
}
