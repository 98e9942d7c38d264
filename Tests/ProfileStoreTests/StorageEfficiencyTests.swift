import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Measures bytes on disk per sample for a realistic host: 1000 stacks of depth 20 across 50 processes, 10 s
/// windows at 19 Hz on 2 CPUs (380 samples per window). Prints the numbers; fails only on a gross regression.
@Suite struct StorageEfficiencyTests {
    @Test func bytesPerSampleForARealisticHost() throws {
        let workload = Workload()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.compactAfter = .seconds(600)
        options.compactedResolution = .seconds(300)
        let store = try openStore(directory.path, options)
        let windows = 60  // 10 minutes
        let written = try appendWindows(store, workload, 0..<windows)
        let samples = windows * workload.samplesPerWindow
        let rows = written.reduce(0) { $0 + $1.samples.count }
        let infos = try store.windows(from: everything.from, to: everything.to)
        let frames = infos.map(\.storedBytes).reduce(0, +)
        let raw = infos.map(\.rawBytes).reduce(0, +)
        let disk = store.statistics.bytesOnDisk
        let pprof = written.reduce(0) { $0 + $1.pprofData(compressed: true).count }

        try store.compact(now: workload.range(windows - 1).end + 600_000_000_000)
        let compactedDisk = store.statistics.bytesOnDisk
        let compactedBlocks = store.statistics.blocks
        #expect(compactedBlocks == 2)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))

        func perSample(_ bytes: some BinaryInteger) -> String {
            String(format: "%.2f", Double(Int(bytes)) / Double(samples))
        }
        print(
            """
            storage efficiency (\(windows) windows, \(samples) samples, \(rows) sample rows):
              windows on disk: \(disk) bytes = \(perSample(disk)) B/sample, \(disk / Int64(windows)) B/window \
            (frames \(perSample(frames)), uncompressed payload \(perSample(raw)) B/sample)
              after compaction into 5-minute blocks: \(compactedDisk) bytes = \(perSample(compactedDisk)) B/sample
              for comparison, gzipped pprof per window: \(perSample(pprof)) B/sample
            """)
        // Measured 116 and 9 B/sample when written; each window carries its own symbol tables, which compaction
        // shares across 30 windows.
        #expect(Double(disk) / Double(samples) < 150)
        #expect(Double(compactedDisk) / Double(samples) < 15)
    }
}
