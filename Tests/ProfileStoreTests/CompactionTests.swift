import Foundation
import ProfileModel
import Synchronization
import Testing

@testable import ProfileStore

@Suite struct CompactionTests {
    let workload = Workload.small

    /// Compaction after 10 minutes into 1-minute blocks (6 windows of 10 s each).
    var options: StoreOptions {
        var options = StoreOptions()
        options.compactAfter = .seconds(600)
        options.compactedResolution = .seconds(60)
        return options
    }

    @Test func compactionKeepsTotalsExactAndReducesBlocks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path, options)
        let written = try appendWindows(store, workload, 0..<120)
        let before = try store.query(from: everything.from, to: everything.to)
        #expect(before == (try Profile.merge(written)))
        #expect(store.statistics.blocks == 120)

        // 20 minutes of windows, compacted as of their end: the first 10 minutes are due.
        let now = workload.range(119).end
        try store.compact(now: now)
        let statistics = store.statistics
        #expect(statistics.compactions == 1)
        #expect(statistics.windowsCompacted == 60)
        #expect(statistics.blocks == 60 + 10)
        let after = try store.query(from: everything.from, to: everything.to)
        #expect(totalsByStackAndLabels(after) == totalsByStackAndLabels(before))
        #expect(after == before)

        let infos = try store.windows(from: everything.from, to: everything.to)
        let compacted = infos.filter { $0.kind == .compacted }
        #expect(compacted.count == 10)
        #expect(compacted.allSatisfy { $0.windowCount == 6 && $0.end - $0.start == 60_000_000_000 })
        #expect(compacted.map(\.totals[0]).reduce(0, +) == Int64(60 * workload.samplesPerWindow))
        // Sums per compacted block equal the sums of its windows.
        for block in compacted {
            let members = (0..<120).filter {
                workload.range($0).start >= block.start && workload.range($0).end <= block.end
            }
            let expected = try Profile.merge(members.map { written[$0] })
            #expect(
                totalsByStackAndLabels(try store.query(from: block.start, to: block.start + 1))
                    == totalsByStackAndLabels(expected))
        }

        // Nothing new is due: a second run changes nothing.
        let files = try segmentFiles(directory.path).map(readBytes)
        try store.compact(now: now)
        #expect(store.statistics.compactions == 1)
        #expect(try segmentFiles(directory.path).map(readBytes) == files)

        // Appends continue in a new segment, and a reopen sees the same data.
        let more = try appendWindows(store, workload, 120..<130)
        let all = written + more
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(all))
        let reopened = try openStore(directory.path, readOnlyOptions)
        #expect(try reopened.query(from: everything.from, to: everything.to) == Profile.merge(all))
    }

    @Test func laterRunsMergeSmallSegmentsAndBucketsAcrossRuns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path, options)
        var written: [Profile] = []
        // Run compaction every 3 windows (30 s), as an agent would, while 40 minutes of windows arrive.
        for index in 0..<240 {
            written += try appendWindows(store, workload, index..<index + 1)
            if index % 3 == 2 { try store.compact(now: workload.range(index).end) }
        }
        let statistics = store.statistics
        #expect(statistics.windowsCompacted >= 170)
        // Segments do not pile up: small ones are merged.
        #expect(statistics.segments <= 3)
        let result = try store.query(from: everything.from, to: everything.to)
        #expect(totalsByStackAndLabels(result) == totalsByStackAndLabels(try Profile.merge(written)))
        #expect(result.samples.reduce(0) { $0 + $1.values[0] } == Int64(240 * workload.samplesPerWindow))
        // At most one compacted block per bucket: windows of a bucket compacted in two runs were merged.
        let compacted = try store.windows(from: everything.from, to: everything.to).filter { $0.kind == .compacted }
        #expect(Set(compacted.map(\.start)).count == compacted.count)
    }

    /// Two tiers: windows older than 10 minutes become 1-minute blocks, those older than 20 minutes 5-minute blocks.
    var tieredOptions: StoreOptions {
        var options = self.options
        options.coarseCompaction = CoarseCompaction(after: .seconds(1200), resolution: .seconds(300))
        return options
    }

    @Test func coarseTierMergesCompactedBlocksAgainWithExactTotals() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path, tieredOptions)
        var written: [Profile] = []
        // 40 minutes of windows with maintenance every minute, as the agent runs it.
        for index in 0..<240 {
            written += try appendWindows(store, workload, index..<index + 1)
            if index % 6 == 5 { try store.compact(now: workload.range(index).end) }
        }
        let now = workload.range(239).end
        try store.compact(now: now)
        let result = try store.query(from: everything.from, to: everything.to)
        #expect(totalsByStackAndLabels(result) == totalsByStackAndLabels(try Profile.merge(written)))

        // The first 20 minutes: four 5-minute blocks of 30 windows; the next 10: 1-minute blocks; then windows.
        let infos = try store.windows(from: everything.from, to: everything.to)
        let coarseEnd = workload.range(119).end
        let coarse = infos.filter { $0.end <= coarseEnd }
        #expect(coarse.count == 4)
        #expect(coarse.allSatisfy { $0.kind == .compacted && $0.windowCount == 30 })
        let fine = infos.filter { $0.start >= coarseEnd && $0.end <= workload.range(179).end }
        #expect(fine.count == 10)
        #expect(fine.allSatisfy { $0.kind == .compacted && $0.windowCount == 6 })
        #expect(infos.count == 4 + 10 + 60)
        // Each coarse block holds exactly its windows.
        for block in coarse {
            let members = (0..<240).filter {
                workload.range($0).start >= block.start && workload.range($0).end <= block.end
            }
            #expect(
                totalsByStackAndLabels(try store.query(from: block.start, to: block.start + 1))
                    == totalsByStackAndLabels(try Profile.merge(members.map { written[$0] })))
        }

        // Settled: another run rewrites nothing.
        let compactions = store.statistics.compactions
        let files = try segmentFiles(directory.path).map(readBytes)
        try store.compact(now: now)
        #expect(store.statistics.compactions == compactions)
        #expect(try segmentFiles(directory.path).map(readBytes) == files)
    }

    @Test func aCompactedBlockAloneInItsCoarseBucketIsNotRewrittenAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path, tieredOptions)
        // One minute of windows, then nothing: one 1-minute block, alone in its 5-minute bucket once that is due.
        try appendWindows(store, workload, 0..<6)
        try store.compact(now: workload.range(5).end + 700_000_000_000)
        #expect(store.statistics.compactions == 1)
        let files = try segmentFiles(directory.path).map(readBytes)
        try store.compact(now: workload.range(5).end + 3_600_000_000_000)
        try store.compact(now: workload.range(5).end + 7_200_000_000_000)
        #expect(store.statistics.compactions == 1)
        #expect(try segmentFiles(directory.path).map(readBytes) == files)
        let infos = try store.windows(from: everything.from, to: everything.to)
        #expect(infos.count == 1 && infos[0].kind == .compacted && infos[0].windowCount == 6)
    }

    @Test func appendsProceedWhileCompactionRuns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path, options)
        let written = try appendWindows(store, workload, 0..<120)
        let workload = self.workload
        let appended = Mutex<[Profile]>([])
        let appending = BackgroundThread {
            let profiles = try appendWindows(store, workload, 120..<160)
            appended.withLock { $0 = profiles }
        }
        try store.compact(now: workload.range(119).end)
        try appending.join()
        let all = written + appended.withLock { $0 }
        let result = try store.query(from: everything.from, to: everything.to)
        #expect(totalsByStackAndLabels(result) == totalsByStackAndLabels(try Profile.merge(all)))
    }

    @Test func crashAfterTheSwapBeforeDeletingSupersededSegments() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = self.options
        var written: [Profile] = []
        var saved: [(String, [UInt8])] = []
        do {
            // Many small segments, then compaction packs them into one.
            options.segmentBytes = 16 << 10
            let store = try openStore(directory.path, options)
            written = try appendWindows(store, workload, 0..<120)
        }
        do {
            options.segmentBytes = 4 << 20
            let store = try openStore(directory.path, options)
            saved = try segmentFiles(directory.path).map { ($0, try readBytes($0)) }
            #expect(saved.count >= 3)
            try store.compact(now: workload.range(119).end)
        }
        // Put back the inputs compaction deleted, as if it had crashed right after renaming its output.
        let remaining = Set(try segmentFiles(directory.path))
        var restored = 0
        for (path, bytes) in saved where !remaining.contains(path) {
            try writeBytes(bytes, to: path)
            restored += 1
        }
        #expect(restored >= 1)
        let expected = totalsByStackAndLabels(try Profile.merge(written))

        // A reader that sees both ignores the superseded inputs.
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(totalsByStackAndLabels(try reader.query(from: everything.from, to: everything.to)) == expected)
        // The next writer deletes them.
        let recorder = LogRecorder()
        let writer = try openStore(directory.path, options, recorder: recorder)
        #expect(Set(try segmentFiles(directory.path)) == remaining)
        #expect(recorder.messages(atLeast: .notice).contains { $0.contains("superseded") })
        #expect(totalsByStackAndLabels(try writer.query(from: everything.from, to: everything.to)) == expected)
    }

    @Test func readersDuringCompactionNeverDoubleCount() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = self.options
        options.segmentBytes = 32 << 10
        let store = try openStore(directory.path, options)
        try appendWindows(store, workload, 0..<150)
        let total = Int64(150 * workload.samplesPerWindow)
        let reader = try openStore(directory.path, readOnlyOptions)
        let compaction = BackgroundThread { try store.compact(now: Workload.small.range(149).end) }
        var reads = 0
        repeat {
            let result = try reader.query(from: everything.from, to: everything.to)
            let samples = result.samples.reduce(0) { $0 + $1.values[0] }
            // A reader may briefly miss a segment deleted under it, never see one twice.
            #expect(samples <= total)
            reads += 1
        } while !compaction.isDone || reads < 3
        try compaction.join()
        #expect(store.statistics.compactions == 1)
        let result = try reader.query(from: everything.from, to: everything.to)
        #expect(result.samples.reduce(0) { $0 + $1.values[0] } == total)
    }

    @Test func damagedBlocksAreDroppedAndReportedByCompaction() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = self.options
        options.segmentBytes = 32 << 10
        var written: [Profile] = []
        var victim: StoredWindowInfo?
        do {
            let store = try openStore(directory.path, options)
            written = try appendWindows(store, workload, 0..<90)
            victim = try store.windows(from: everything.from, to: everything.to)[3]
        }
        let damaged = try #require(victim)
        let path = directory.appending("segments/" + StorageFormat.segmentFileName(damaged.segmentID))
        var bytes = try readBytes(path)
        bytes[Int(damaged.offset) + damaged.storedBytes - 3] ^= 0x20
        try writeBytes(bytes, to: path)

        let recorder = LogRecorder()
        let store = try openStore(directory.path, options, recorder: recorder)
        try store.compact(now: workload.range(89).end)
        #expect(store.statistics.corruptBlocksSkipped == 1)
        #expect(store.statistics.windowsCompacted == 29)
        #expect(recorder.messages().contains { $0.contains("damaged block") })
        var expected = written
        expected.remove(at: 3)
        let result = try store.query(from: everything.from, to: everything.to)
        #expect(totalsByStackAndLabels(result) == totalsByStackAndLabels(try Profile.merge(expected)))
    }
}
