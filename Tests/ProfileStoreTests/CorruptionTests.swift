import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Damage in the middle of a segment costs exactly the damaged block; everything else stays readable.
@Suite struct CorruptionTests {
    let workload = Workload.small

    /// Writes `count` windows into a store whose segments hold several blocks each, and returns the profiles and
    /// the metadata of every block.
    private func makeStore(_ directory: TemporaryDirectory, count: Int = 6, segmentBytes: Int = 64 << 20) throws -> (
        [Profile], [StoredWindowInfo]
    ) {
        var options = StoreOptions()
        options.segmentBytes = segmentBytes
        let store = try openStore(directory.path, options)
        let written = try appendWindows(store, workload, 0..<count)
        return (written, try store.windows(from: everything.from, to: everything.to))
    }

    private func flip(_ directory: TemporaryDirectory, segment: UInt64, at offset: Int, mask: UInt8 = 0x04) throws {
        let path = directory.appending("segments/" + StorageFormat.segmentFileName(segment))
        var bytes = try readBytes(path)
        bytes[offset] ^= mask
        try writeBytes(bytes, to: path)
    }

    @Test func payloadBitFlipInASealedSegmentIsSkippedWhenRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (written, infos) = try makeStore(directory, count: 8, segmentBytes: 8192)
        let victim = try #require(infos.first { $0.segmentID == infos[0].segmentID && $0.offset > infos[0].offset })
        let victimIndex = try #require(infos.firstIndex(of: victim))
        #expect(victim.segmentID != infos.last?.segmentID)
        try flip(directory, segment: victim.segmentID, at: Int(victim.offset) + victim.storedBytes - 5)

        let recorder = LogRecorder()
        let store = try openStore(directory.path, recorder: recorder)
        var expected = written
        expected.remove(at: victimIndex)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(expected))
        #expect(store.statistics.corruptBlocksSkipped == 1)
        #expect(recorder.messages().contains { $0.contains("damaged block") && $0.contains("checksum") })
        // Remembered: a second query neither rereads nor recounts it.
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(expected))
        #expect(store.statistics.corruptBlocksSkipped == 1)
        #expect(try store.windows(from: everything.from, to: everything.to).count == written.count - 1)
    }

    @Test func payloadBitFlipInTheLastSegmentIsFoundAtOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (written, infos) = try makeStore(directory, count: 5)
        try flip(directory, segment: infos[2].segmentID, at: Int(infos[2].offset) + infos[2].storedBytes - 1)
        let store = try openStore(directory.path)
        #expect(store.statistics.corruptBlocksSkipped == 1)
        #expect(store.statistics.tornTailsTruncated == 0)
        var expected = written
        expected.remove(at: 2)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(expected))
    }

    @Test func headerDamageIsSkippedByResynchronizing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (written, infos) = try makeStore(directory, count: 5)
        let original = try readBytes(try #require(try segmentFiles(directory.path).last))
        // Every byte of the header and the start of the metadata of block 2, one at a time: magic, kind, times,
        // lengths, checksums.
        let end = Int(infos[2].offset) + 48 + 80
        var expected = written
        expected.remove(at: 2)
        let merged = try Profile.merge(expected)
        for offset in Int(infos[2].offset)..<min(end, Int(infos[3].offset)) {
            try writeBytes(original, to: try #require(try segmentFiles(directory.path).last))
            try flip(directory, segment: infos[2].segmentID, at: offset, mask: 0x81)
            let store = try openStore(directory.path)
            #expect(store.statistics.corruptBlocksSkipped == 1, "byte \(offset)")
            #expect(try store.query(from: everything.from, to: everything.to) == merged, "byte \(offset)")
        }
    }

    @Test func sampledFlipsAnywhereInAMiddleBlockCostOnlyThatBlock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (written, infos) = try makeStore(directory, count: 5)
        let path = try #require(try segmentFiles(directory.path).last)
        let original = try readBytes(path)
        var expected = written
        expected.remove(at: 1)
        let merged = try Profile.merge(expected)
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<60 {
            let offset = Int(infos[1].offset) + Int(rng.next() % UInt64(infos[1].storedBytes))
            var bytes = original
            bytes[offset] ^= UInt8(1 << (rng.next() % 8))
            try writeBytes(bytes, to: path)
            let store = try openStore(directory.path)
            #expect(try store.query(from: everything.from, to: everything.to) == merged, "byte \(offset)")
            #expect(store.statistics.corruptBlocksSkipped == 1, "byte \(offset)")
        }
    }

    @Test func damagedSegmentHeaderIgnoresOnlyThatSegment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (written, infos) = try makeStore(directory, count: 8, segmentBytes: 8192)
        let firstSegment = infos[0].segmentID
        try flip(directory, segment: firstSegment, at: 20)
        let recorder = LogRecorder()
        let store = try openStore(directory.path, recorder: recorder)
        #expect(store.statistics.corruptSegmentsSkipped == 1)
        #expect(recorder.messages(atLeast: .error).contains { $0.contains("ignoring segment") })
        let kept = zip(written, infos).filter { $0.1.segmentID != firstSegment }.map(\.0)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(kept))
        // New segments never reuse the ignored segment's number.
        try appendWindows(store, workload, 8..<9)
        #expect(try store.windows(from: everything.from, to: everything.to).allSatisfy { $0.segmentID != firstSegment })
    }

    @Test func bitFlipInTheVersionFieldIsDamageNotAnotherVersion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (written, infos) = try makeStore(directory, count: 8, segmentBytes: 8192)
        try flip(directory, segment: infos[0].segmentID, at: 8, mask: 0x02)
        let store = try openStore(directory.path)
        #expect(store.statistics.corruptSegmentsSkipped == 1)
        let kept = zip(written, infos).filter { $0.1.segmentID != infos[0].segmentID }.map(\.0)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(kept))
    }

    @Test func unsupportedVersionIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try makeStore(directory, count: 1)
        let path = try #require(try segmentFiles(directory.path).first)
        var bytes = try readBytes(path)
        bytes[8] = 9
        let headerLength = 32
        let checksum = CRC32C.checksum(bytes[0..<headerLength - 4])
        bytes.replaceSubrange(
            (headerLength - 4)..<headerLength, with: withUnsafeBytes(of: checksum.littleEndian, Array.init))
        try writeBytes(bytes, to: path)
        #expect {
            try openStore(directory.path)
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .unsupportedFormat && error?.message.contains("format version 9") == true
        }
    }
}
