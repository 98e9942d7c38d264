import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Pins the on-disk format byte for byte: storage/golden/store-v1 and store-v2 were written from ``GoldenFixture``
/// by a writer of format version 1 and 2.
///
/// A change to the encoding fails ``writingTheFixtureReproducesTheGoldenSegments(version:)``; if the change is
/// intended, bump the format version when old files can no longer be read, rerun with `SCORCH_UPDATE_GOLDEN=1`,
/// review the diff, and update storage/FORMAT.md. (The bytes also depend on libzstd's level-3 and level-19 output,
/// stable across 1.5.x.)
@Suite struct GoldenTests {
    static let storage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("storage")
    static let golden = path(version: 1)
    static let updating = ProcessInfo.processInfo.environment["SCORCH_UPDATE_GOLDEN"] == "1"

    /// `storage/golden/store-vN`.
    static func path(version: UInt16) -> String {
        storage.appendingPathComponent("golden/store-v\(version)").path
    }

    /// Writes the golden store into `directory` with a writer of format `version`: windows 0 and 1, compaction two
    /// hours later, then window 2.
    static func writeFixtureStore(_ directory: String, version: UInt16) throws {
        var options = StoreOptions()
        options.formatVersion = version
        let store = try openStore(directory, options)
        for index in 0..<2 {
            try store.append(
                GoldenFixture.window(index), start: GoldenFixture.ranges[index].start,
                end: GoldenFixture.ranges[index].end)
        }
        try store.compact(now: GoldenFixture.compactedAt)
        try store.append(
            GoldenFixture.window(2), start: GoldenFixture.ranges[2].start, end: GoldenFixture.ranges[2].end)
    }

    @Test(arguments: [UInt16(1), 2]) func writingTheFixtureReproducesTheGoldenSegments(version: UInt16) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeFixtureStore(directory.path, version: version)
        let names = try segmentFiles(directory.path).map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(names == ["00000001.seg", "00000002.seg"])
        let golden = Self.path(version: version)
        if Self.updating {
            try? FileManager.default.removeItem(atPath: golden)
            try FileManager.default.createDirectory(atPath: golden + "/segments", withIntermediateDirectories: true)
            for name in names {
                try writeBytes(try readBytes(directory.appending("segments/" + name)), to: golden + "/segments/" + name)
            }
            return
        }
        for name in names {
            let actual = try readBytes(directory.appending("segments/" + name))
            let expected = try readBytes(golden + "/segments/" + name)
            let advice = "if the change is intended, rerun with SCORCH_UPDATE_GOLDEN=1"
            #expect(actual == expected, "segments/\(name) differs from storage/golden/store-v\(version); \(advice)")
        }
    }

    @Test(arguments: [UInt16(1), 2]) func readingTheGoldenStoreGivesTheFixture(version: UInt16) throws {
        let store = try openStore(Self.path(version: version), readOnlyOptions)
        let windows = (0..<3).map(GoldenFixture.window)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(windows))
        let infos = try store.windows(from: everything.from, to: everything.to)
        #expect(infos.map(\.kind) == [.compacted, .window])
        #expect(infos.map(\.windowCount) == [2, 1])
        #expect(infos.map(\.start) == [GoldenFixture.ranges[0].start, GoldenFixture.ranges[2].start])
        #expect(infos[0].end == GoldenFixture.ranges[1].end)
        #expect(infos[0].labels.keys["tid"]?.numbers == [4242, 4250, 4251])
        // The compacted block holds exactly the merge of windows 0 and 1.
        let compacted = try store.query(from: GoldenFixture.ranges[0].start, to: GoldenFixture.ranges[0].start + 1)
        #expect(compacted == (try Profile.merge(Array(windows[0..<2]))))
        let recent = try store.query(from: GoldenFixture.ranges[2].start, to: GoldenFixture.ranges[2].end)
        #expect(recent == (try Profile.merge([windows[2]])))
        #expect(store.statistics.corruptBlocksSkipped == 0)
        // Version 2: every block is compressed with a dictionary stored twice before it in its segment.
        let segments = store.index.withLock { $0.segments }
        #expect(segments.map(\.header.version) == [version, version])
        for segment in segments {
            #expect(segment.dictionaries.count == (version == 2 ? 2 : 0))
            #expect(segment.blocks.allSatisfy { $0.header.codec == (version == 2 ? .zstdWithDictionary : .zstd) })
        }
    }
}
