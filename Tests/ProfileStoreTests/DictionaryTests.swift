import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Dictionaries (format version 2): blocks compressed with a dictionary stored twice in their segment.
@Suite struct DictionaryTests {
    let workload = Workload.small
    /// Two hours and a bit of windows: appending window `hours2 + i` after window `i` makes a new dictionary.
    static let later = 800

    /// The dictionary frames of every segment, and the blocks that use each dictionary.
    private func layout(_ store: ProfileStore) -> [(
        segment: UInt64, dictionaries: [DictionaryRecord], blocks: [BlockRecord]
    )] {
        store.index.withLock { index in index.segments.map { ($0.id, $0.dictionaries, $0.blocks) } }
    }

    /// Every codec 2 block has at least two copies of its dictionary before it in its segment.
    private func checkDictionariesPrecedeTheirBlocks(
        _ store: ProfileStore, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (segment, dictionaries, blocks) in layout(store) {
            for block in blocks where block.header.codec == .zstdWithDictionary {
                let copies = dictionaries.filter { $0.id == block.header.dictionaryID && $0.offset < block.offset }
                #expect(
                    copies.count >= 2, "segment \(segment), block at \(block.offset)", sourceLocation: sourceLocation)
            }
        }
    }

    private func flip(_ directory: TemporaryDirectory, segment: UInt64, at offset: Int64, mask: UInt8 = 0x10) throws {
        let path = directory.appending("segments/" + StorageFormat.segmentFileName(segment))
        var bytes = try readBytes(path)
        bytes[Int(offset)] ^= mask
        try writeBytes(bytes, to: path)
    }

    /// Windows 0..<3, then windows later..<later+3 (a new dictionary, more than two hours on), in one segment.
    private func writeTwoDictionaries(_ directory: TemporaryDirectory) throws -> [Profile] {
        let store = try openStore(directory.path)
        var written = try appendWindows(store, workload, 0..<3)
        written += try appendWindows(store, workload, Self.later..<Self.later + 3)
        return written
    }

    @Test func roundTripAcrossADictionaryRefresh() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try writeTwoDictionaries(directory)
        let store = try openStore(directory.path)
        let segments = layout(store)
        #expect(segments.count == 1)
        let dictionaries = try #require(segments.first?.dictionaries)
        #expect(dictionaries.count == 4)
        #expect(Set(dictionaries.map(\.id)).count == 2)
        #expect(segments[0].blocks.allSatisfy { $0.header.codec == .zstdWithDictionary })
        #expect(Set(segments[0].blocks.map(\.header.dictionaryID)).count == 2)
        checkDictionariesPrecedeTheirBlocks(store)
        // Dictionaries are not data.
        #expect(store.statistics.blocks == 6)
        #expect(try store.windows(from: everything.from, to: everything.to).count == 6)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
        for (index, profile) in written.enumerated() {
            let start = workload.range(index < 3 ? index : Self.later + index - 3).start
            #expect(try store.query(from: start, to: start + 1) == Profile.merge([profile]))
        }
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(try reader.query(from: everything.from, to: everything.to) == Profile.merge(written))
        #expect(reader.statistics.corruptBlocksSkipped == 0)
    }

    @Test func aRestartedWriterGoesOnWithTheSameDictionary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var written: [Profile] = []
        do {
            let store = try openStore(directory.path)
            written = try appendWindows(store, workload, 0..<3)
        }
        let store = try openStore(directory.path)
        let before = try #require(layout(store).last?.dictionaries)
        written += try appendWindows(store, workload, 3..<5)
        let after = try #require(layout(store).last)
        #expect(after.dictionaries.map(\.offset) == before.map(\.offset))
        #expect(Set(after.blocks.map(\.header.dictionaryID)).count == 1)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
    }

    @Test func aDamagedCopyOfADictionaryCostsNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try writeTwoDictionaries(directory)
        let original = try readBytes(try #require(try segmentFiles(directory.path).first))
        let dictionaries = try #require(layout(try openStore(directory.path, readOnlyOptions)).first?.dictionaries)
        let expected = try Profile.merge(written)
        // A payload byte and a header byte of either copy of either dictionary.
        for copy in dictionaries {
            for offset in [copy.offset + 6, copy.offset + copy.frameLength - 3] {
                try writeBytes(original, to: try #require(try segmentFiles(directory.path).first))
                try flip(directory, segment: 1, at: offset)
                // Read-only: a damaged header is found by the scan, a damaged payload only if that copy is read.
                let recorder = LogRecorder()
                let reader = try openStore(directory.path, readOnlyOptions, recorder: recorder)
                #expect(try reader.query(from: everything.from, to: everything.to) == expected, "byte \(offset)")
                #expect(reader.statistics.corruptBlocksSkipped <= 1, "byte \(offset)")
                #expect(recorder.messages().count == reader.statistics.corruptBlocksSkipped, "byte \(offset)")
                // Writer: the last segment is verified at open; the damaged copy is skipped, not truncated.
                let writer = try openStore(directory.path)
                #expect(writer.statistics.corruptBlocksSkipped == 1, "byte \(offset)")
                #expect(writer.statistics.tornTailsTruncated == 0, "byte \(offset)")
                #expect(try writer.query(from: everything.from, to: everything.to) == expected, "byte \(offset)")
            }
        }
    }

    @Test func bothCopiesDamagedCostTheirBlocksOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try writeTwoDictionaries(directory)
        let dictionaries = try #require(layout(try openStore(directory.path, readOnlyOptions)).first?.dictionaries)
        // Both copies of the first dictionary: the first three windows used it.
        for copy in dictionaries.prefix(2) { try flip(directory, segment: 1, at: copy.offset + copy.frameLength - 3) }
        let expected = try Profile.merge(Array(written[3...]))

        let recorder = LogRecorder()
        let reader = try openStore(directory.path, readOnlyOptions, recorder: recorder)
        #expect(try reader.query(from: everything.from, to: everything.to) == expected)
        // Two damaged copies and three blocks that cannot be read, each reported once.
        #expect(reader.statistics.corruptBlocksSkipped == 5)
        #expect(recorder.messages().filter { $0.contains("damaged block") }.count == 3)
        #expect(try reader.query(from: everything.from, to: everything.to) == expected)
        #expect(reader.statistics.corruptBlocksSkipped == 5)

        // At writer open the damaged copies are found first, so the blocks after them cannot be indexed at all.
        let writer = try openStore(directory.path)
        #expect(writer.statistics.corruptBlocksSkipped == 5)
        #expect(writer.statistics.tornTailsTruncated == 0)
        #expect(try writer.windows(from: everything.from, to: everything.to).count == 3)
        #expect(try writer.query(from: everything.from, to: everything.to) == expected)
        // The store goes on: new windows get a dictionary of their own.
        let more = try appendWindows(writer, workload, Self.later + 3..<Self.later + 5)
        #expect(
            try writer.query(from: everything.from, to: everything.to) == Profile.merge(Array(written[3...]) + more))
    }

    @Test func aTornTailInsideADictionaryIsTruncated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let written = try writeTwoDictionaries(directory)
        let segment = try #require(try segmentFiles(directory.path).first)
        let original = try readBytes(segment)
        let dictionaries = try #require(layout(try openStore(directory.path, readOnlyOptions)).first?.dictionaries)
        // The second dictionary was written with window `later`, in the same append: its two copies, then the block.
        let first = dictionaries[2]
        let second = dictionaries[3]
        let cuts = [
            first.offset + 1, first.offset + 47, first.offset + first.frameLength - 1, second.offset + 20,
            second.end - 1, second.end + 10,
        ]
        let expected = try Profile.merge(Array(written[0..<3]))
        for cut in cuts {
            try writeBytes(Array(original[..<Int(cut)]), to: segment)
            let recorder = LogRecorder()
            let store = try openStore(directory.path, recorder: recorder)
            #expect(store.statistics.tornTailsTruncated == 1, "cut at \(cut)")
            #expect(store.statistics.corruptBlocksSkipped == 0, "cut at \(cut)")
            #expect(recorder.messages().contains { $0.contains("torn tail") }, "cut at \(cut)")
            #expect(try store.query(from: everything.from, to: everything.to) == expected, "cut at \(cut)")
            // A complete copy left behind is harmless; the store appends again (with two fresh copies).
            let again = try appendWindows(store, workload, Self.later..<Self.later + 1)
            #expect(
                try store.query(from: everything.from, to: everything.to)
                    == Profile.merge(Array(written[0..<3]) + again))
            checkDictionariesPrecedeTheirBlocks(store)
        }
    }

    @Test func compactionAndRetentionAcrossSegmentsKeepTotalsAndDictionaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.segmentBytes = 12 << 10
        options.compactAfter = .seconds(600)
        options.compactedResolution = .seconds(60)
        options.retention = .seconds(1500)
        let store = try openStore(directory.path, options)
        var written: [Profile] = []
        // 30 minutes of windows, maintenance every minute as the agent does it.
        for index in 0..<180 {
            written += try appendWindows(store, workload, index..<index + 1)
            if index % 6 == 5 {
                try store.enforceRetention(now: workload.range(index).end)
                try store.compact(now: workload.range(index).end)
                checkDictionariesPrecedeTheirBlocks(store)
            }
        }
        let statistics = store.statistics
        #expect(statistics.windowsCompacted > 60)
        #expect(statistics.segmentsRewritten > 0)
        #expect(statistics.retentionBlocksDropped > 0)
        #expect(statistics.corruptBlocksSkipped == 0)
        let infos = try store.windows(from: everything.from, to: everything.to)
        let compacted = infos.filter { $0.kind == .compacted }
        #expect(!compacted.isEmpty)
        // Compacted blocks are compressed with a dictionary too.
        let segments = layout(store)
        #expect(
            segments.flatMap(\.blocks).filter { $0.header.kind == .compacted }.allSatisfy {
                $0.header.codec == .zstdWithDictionary
            })
        // Totals are exact for what retention kept: every window that starts at or after the oldest kept block.
        let oldest = try #require(infos.map(\.start).min())
        let kept = (0..<180).filter { workload.range($0).start >= oldest }.map { written[$0] }
        let result = try store.query(from: everything.from, to: everything.to)
        #expect(totalsByStackAndLabels(result) == totalsByStackAndLabels(try Profile.merge(kept)))
        // No dictionary is kept that no block needs.
        for (segment, dictionaries, blocks) in segments {
            let used = Set(blocks.filter { $0.header.codec == .zstdWithDictionary }.map(\.header.dictionaryID))
            #expect(Set(dictionaries.map(\.id)).isSubset(of: used), "segment \(segment)")
        }
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(
            totalsByStackAndLabels(try reader.query(from: everything.from, to: everything.to))
                == totalsByStackAndLabels(try Profile.merge(kept)))
        #expect(reader.statistics.corruptBlocksSkipped == 0)
    }

    @Test func versionOneSegmentsStayReadableNextToVersionTwo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(
            atPath: directory.appending("segments"), withIntermediateDirectories: true)
        for name in ["00000001.seg", "00000002.seg"] {
            try writeBytes(
                try readBytes(GoldenTests.golden + "/segments/" + name), to: directory.appending("segments/" + name))
        }
        var options = StoreOptions()
        options.compactAfter = .seconds(600)
        let store = try openStore(directory.path, options)
        // The last segment has version 1: appends start a version 2 segment.
        let start = GoldenFixture.ranges[2].end
        var more: [Profile] = []
        for index in 0..<4 {
            let profile = workload.window(index)
            try store.append(
                profile, start: start + Int64(index) * 10_000_000_000, end: start + Int64(index + 1) * 10_000_000_000)
            more.append(profile)
        }
        let headers = store.index.withLock { $0.segments.map(\.header) }
        #expect(headers.map(\.version) == [1, 1, 2])
        let old = (0..<3).map(GoldenFixture.window)
        // Windows of the fixture and the workload share no stack: compare totals per stack and labels.
        let expected = totalsByStackAndLabels(try Profile.merge(old)).merging(
            totalsByStackAndLabels(try Profile.merge(more))
        ) { zip($0, $1).map(+) }
        #expect(totalsByStackAndLabels(try store.query(from: everything.from, to: everything.to)) == expected)
        // Compaction merges version 1 and version 2 blocks into version 2 segments.
        try store.compact(now: start + 10 * 3_600_000_000_000)
        #expect(store.index.withLock { $0.segments.allSatisfy { $0.header.version == 2 } })
        #expect(totalsByStackAndLabels(try store.query(from: everything.from, to: everything.to)) == expected)
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(totalsByStackAndLabels(try reader.query(from: everything.from, to: everything.to)) == expected)
        #expect(reader.statistics.corruptBlocksSkipped == 0)
    }
}
