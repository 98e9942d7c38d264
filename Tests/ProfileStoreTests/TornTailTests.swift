import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// A crash while appending leaves part of the last block: every such tail is found, truncated and reported.
@Suite struct TornTailTests {
    let workload = Workload.small

    @Test func everyTruncationOfTheLastBlockIsRecovered() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var written: [Profile] = []
        do {
            let store = try openStore(directory.path)
            written = try appendWindows(store, workload, 0..<4)
        }
        let segment = try #require(try segmentFiles(directory.path).last)
        let original = try readBytes(segment)
        let last = try #require(
            try openStore(directory.path, readOnlyOptions).windows(
                from: everything.from, to: everything.to
            ).last)
        let lastOffset = Int(last.offset)
        #expect(lastOffset + last.storedBytes == original.count)
        let expected = try Profile.merge(Array(written[0..<3]))

        for cut in lastOffset..<original.count {
            try writeBytes(Array(original[..<cut]), to: segment)
            let recorder = LogRecorder()
            let store = try openStore(directory.path, recorder: recorder)
            let statistics = store.statistics
            #expect(statistics.tornTailsTruncated == (cut > lastOffset ? 1 : 0), "cut at \(cut)")
            #expect(statistics.tornBytesTruncated == Int64(cut - lastOffset), "cut at \(cut)")
            #expect(statistics.blocks == 3, "cut at \(cut)")
            #expect(statistics.corruptBlocksSkipped == 0, "cut at \(cut)")
            #expect(try fileSize(segment) == lastOffset, "cut at \(cut)")
            if cut > lastOffset {
                #expect(recorder.messages().contains { $0.contains("torn tail") }, "cut at \(cut)")
            }
            if cut % 97 == 0 || cut == lastOffset + 1 || cut == original.count - 1 {
                #expect(try store.query(from: everything.from, to: everything.to) == expected, "cut at \(cut)")
                // The store keeps working: the lost window can be appended again.
                try store.append(written[3], start: workload.range(3).start, end: workload.range(3).end)
                #expect(try readBytes(segment) == original, "cut at \(cut)")
            }
        }
    }

    @Test func zeroFilledTailAfterPowerLossIsTruncated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var written: [Profile] = []
        do {
            let store = try openStore(directory.path)
            written = try appendWindows(store, workload, 0..<3)
        }
        let segment = try #require(try segmentFiles(directory.path).last)
        let original = try readBytes(segment)
        try writeBytes(original + [UInt8](repeating: 0, count: 8192), to: segment)
        let store = try openStore(directory.path)
        #expect(store.statistics.tornTailsTruncated == 1)
        #expect(store.statistics.tornBytesTruncated == 8192)
        #expect(try readBytes(segment) == original)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
    }

    @Test func readOnlyStoresNeverTruncate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var written: [Profile] = []
        do {
            let store = try openStore(directory.path)
            written = try appendWindows(store, workload, 0..<3)
        }
        let segment = try #require(try segmentFiles(directory.path).last)
        let torn = Array(try readBytes(segment).dropLast(10))
        try writeBytes(torn, to: segment)
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(try reader.query(from: everything.from, to: everything.to) == Profile.merge(Array(written[0..<2])))
        #expect(reader.statistics.tornTailsTruncated == 0)
        #expect(reader.statistics.corruptBlocksSkipped == 0)
        #expect(try readBytes(segment) == torn)
    }

    @Test func leftoverTemporaryFilesAreRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let store = try openStore(directory.path)
            try appendWindows(store, workload, 0..<2)
        }
        // A rollover or rewrite interrupted before its rename.
        let leftover = directory.appending("segments/00000002.seg.tmp")
        try writeBytes([1, 2, 3], to: leftover)
        let store = try openStore(directory.path)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(store.statistics.blocks == 2)
        try appendWindows(store, workload, 2..<3)
        #expect(store.statistics.blocks == 3)
    }
}
