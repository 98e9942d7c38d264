import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

@Suite struct RetentionTests {
    let workload = Workload.small

    @Test func expiredSegmentsAreDeletedByAge() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.retention = .seconds(100)
        options.segmentBytes = 4096  // one block per segment
        let store = try openStore(directory.path, options)
        let written = try appendWindows(store, workload, 0..<30)
        let segmentsBefore = store.statistics.segments
        #expect(segmentsBefore == 30)

        // Windows ending at or before now - 100 s are expired: windows 0...19 when now is the end of window 29.
        try store.enforceRetention(now: workload.range(29).end)
        let kept = try store.windows(from: everything.from, to: everything.to)
        #expect(kept.map(\.start) == (20..<30).map { workload.range($0).start })
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(Array(written[20...])))
        #expect(store.statistics.retentionSegmentsDeleted == 20)
        #expect(store.statistics.retentionBlocksDropped == 20)
        #expect(try segmentFiles(directory.path).count == 10)
        // The store keeps appending.
        try appendWindows(store, workload, 30..<31)
        #expect(store.statistics.blocks == 11)
    }

    @Test func partlyExpiredSegmentsAreRewritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.retention = .seconds(120)
        options.segmentBytes = 8 << 10
        let store = try openStore(directory.path, options)
        let written = try appendWindows(store, workload, 0..<40)
        #expect(store.statistics.segments >= 4)
        let before = try store.windows(from: everything.from, to: everything.to)
        let lastSegment = before.map(\.segmentID).max()
        // The cutoff falls after the second window of a sealed segment with at least three windows.
        let segments = Dictionary(grouping: before, by: \.segmentID)
        let victim = try #require(
            segments.keys.sorted().first { $0 != lastSegment && $0 > 1 && segments[$0]!.count >= 3 })
        let cutoff = try #require(segments[victim]?.map(\.end).sorted()[1])
        let now = cutoff + 120_000_000_000
        // The segment holding the first unexpired window also holds expired ones.
        let straddling = try #require(before.first { $0.end > cutoff }?.segmentID)
        #expect(before.contains { $0.segmentID == straddling && $0.end <= cutoff })
        #expect(straddling != lastSegment)

        try store.enforceRetention(now: now)
        let kept = try store.windows(from: everything.from, to: everything.to)
        #expect(store.statistics.segmentsRewritten == 1)
        #expect(kept.allSatisfy { $0.end > cutoff })
        let first = 40 - kept.count
        #expect(kept.map(\.start) == (first..<40).map { workload.range($0).start })
        #expect(store.statistics.retentionBlocksDropped == first)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(Array(written[first...])))
        // Reopening finds the same blocks.
        let reopened = try openStore(directory.path, readOnlyOptions)
        #expect(try reopened.windows(from: everything.from, to: everything.to) == kept)
    }

    @Test func oldestSegmentsGoWhenOverMaxBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.segmentBytes = 8 << 10
        var written: [Profile] = []
        var total: Int64 = 0
        do {
            let store = try openStore(directory.path, options)
            written = try appendWindows(store, workload, 0..<40)
            total = store.statistics.bytesOnDisk
        }
        options.maxBytes = Int(total / 2)
        let limited = try openStore(directory.path, options)
        try limited.enforceRetention(now: workload.range(39).end)
        let statistics = limited.statistics
        #expect(statistics.bytesOnDisk <= Int64(options.maxBytes))
        #expect(statistics.retentionSegmentsDeleted > 0)
        let kept = try limited.windows(from: everything.from, to: everything.to)
        #expect(!kept.isEmpty)
        // The newest windows are the ones kept, without gaps.
        let first = 40 - kept.count
        #expect(kept.map(\.start) == (first..<40).map { workload.range($0).start })
        #expect(try limited.query(from: everything.from, to: everything.to) == Profile.merge(Array(written[first...])))
    }

    @Test func theOpenSegmentGoesOnlyWhenNeeded() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.retention = .seconds(100)
        let store = try openStore(directory.path, options)
        try appendWindows(store, workload, 0..<3)
        // Not expired yet: nothing happens.
        try store.enforceRetention(now: workload.range(2).end)
        #expect(store.statistics.blocks == 3)
        // All expired: even the open segment goes, and the next append starts a new one.
        try store.enforceRetention(now: workload.range(2).end + 1_000_000_000_000)
        #expect(store.statistics.blocks == 0)
        #expect(try segmentFiles(directory.path).isEmpty)
        let profile = try appendWindows(store, workload, 3..<4)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(profile))
        #expect(try segmentFiles(directory.path).count == 1)
    }
}
