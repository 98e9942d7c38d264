import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

@Suite struct RoundTripTests {
    let workload = Workload.small

    @Test func appendReopenAndQueryRanges() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var written: [Profile] = []
        do {
            let store = try openStore(directory.path)
            written = try appendWindows(store, workload, 0..<8)
            #expect(store.statistics.windowsAppended == 8)
            #expect(store.statistics.blocks == 8)
        }
        let store = try openStore(directory.path)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
        let from = workload.range(2).start
        let to = workload.range(5).start
        #expect(try store.query(from: from, to: to) == Profile.merge(Array(written[2..<5])))
        // A range inside one window returns that window, normalized.
        #expect(try store.query(from: from + 1, to: from + 2) == Profile.merge([written[2]]))
        // Half-open: a range ending where window 2 starts does not include it.
        #expect(try store.query(from: from - 1, to: from) == Profile.merge([written[1]]))

        let infos = try store.windows(from: from, to: to)
        #expect(infos.map(\.start) == (2..<5).map { workload.range($0).start })
        #expect(infos.allSatisfy { $0.kind == .window && $0.windowCount == 1 })
        #expect(
            infos[0].totals == [Int64(workload.samplesPerWindow), Int64(workload.samplesPerWindow) * workload.period])
        #expect(infos[0].labels.keys["comm"] != nil)
        #expect(store.statistics.corruptBlocksSkipped == 0)
        #expect(store.statistics.tornTailsTruncated == 0)
    }

    @Test func predicateKeepsOnlyMatchingSamples() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path)
        let written = try appendWindows(store, workload, 0..<6)
        let isService1: ([Label]) -> Bool = { labels in labels.contains { $0.key == "comm" && $0.string == "service1" }
        }

        let result = try store.query(from: everything.from, to: everything.to, where: isService1)
        #expect(!result.samples.isEmpty)
        #expect(result.samples.allSatisfy { isService1($0.labels) })
        try result.validate()
        let expected = try Profile.merge(written.map { $0.keepingSamples(where: isService1) })
        #expect(result == expected)
        let matching = written.flatMap(\.samples).filter { isService1($0.labels) }.reduce(0) { $0 + $1.values[0] }
        #expect(result.samples.reduce(0) { $0 + $1.values[0] } == matching)
        // Every location of the result is referenced by a kept sample.
        #expect(Set(result.samples.flatMap(\.locationIDs)) == Set(result.locations.map(\.id)))

        // A block filter on the label summary gives the same answer without reading unrelated blocks.
        let filtered = try store.query(
            from: everything.from, to: everything.to, blocks: { $0.labels.mayContain(.string("comm", "service1")) },
            where: isService1)
        #expect(filtered == result)
        let none = try store.query(
            from: everything.from, to: everything.to, blocks: { $0.labels.mayContain(.string("comm", "nope")) })
        #expect(none.samples.isEmpty)
        #expect(none.sampleTypes == Workload.sampleTypes)
    }

    @Test func emptyResultsCarrySampleTypes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.sampleTypesWhenEmpty = [ValueType(type: "x", unit: "y")]
        let store = try openStore(directory.path, options)
        let empty = try store.query(from: 0, to: 100)
        #expect(empty.samples.isEmpty)
        #expect(empty.sampleTypes == [ValueType(type: "x", unit: "y")])
        try appendWindows(store, workload, 0..<1)
        let outside = try store.query(from: 0, to: 100)
        #expect(outside.samples.isEmpty)
        #expect(outside.sampleTypes == Workload.sampleTypes)
        #expect(outside.periodType == ValueType(type: "cpu", unit: "nanoseconds"))
        #expect(try store.windows(from: 0, to: 100).isEmpty)
        #expect(throws: StoreError.self) { try store.query(from: 100, to: 0) }
    }

    @Test func invalidInputIsRejectedAndTheStoreKeepsWorking() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path)
        let bad = Profile(
            sampleTypes: Workload.sampleTypes, samples: [Sample(locationIDs: [9], values: [1, 2])])
        #expect {
            try store.append(bad, start: 0, end: 1)
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .invalidProfile && error?.message.hasSuffix("the window was not stored") == true
        }
        #expect { try store.append(workload.window(0), start: 5, end: 4) } throws: {
            ($0 as? StoreError)?.code == .invalidArgument
        }
        try appendWindows(store, workload, 0..<2)
        #expect(try store.windows(from: everything.from, to: everything.to).count == 2)
    }

    @Test func segmentsRollOverAtSegmentBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.segmentBytes = 4096
        var written: [Profile] = []
        do {
            let store = try openStore(directory.path, options)
            written = try appendWindows(store, workload, 0..<12)
            #expect(store.statistics.segments > 2)
            #expect(store.statistics.bytesOnDisk == Int64(try segmentFiles(directory.path).map(fileSize).reduce(0, +)))
        }
        let files = try segmentFiles(directory.path)
        #expect(files.count > 2)
        let store = try openStore(directory.path, options)
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
        try appendWindows(store, workload, 12..<14)
        written += [workload.window(12), workload.window(13)]
        #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
    }

    @Test func oneWriterAtATimeAndReadOnlyAccess() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try openStore(directory.path)
        try appendWindows(writer, workload, 0..<2)
        #expect {
            try openStore(directory.path)
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .locked && error?.message.contains("process \(getpid())") == true
        }
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(try reader.windows(from: everything.from, to: everything.to).count == 2)
        #expect { try reader.append(workload.window(3), start: 0, end: 1) } throws: {
            ($0 as? StoreError)?.code == .storeIsReadOnly
        }
        #expect { try reader.compact(now: 0) } throws: { ($0 as? StoreError)?.code == .storeIsReadOnly }
        #expect { try reader.enforceRetention(now: 0) } throws: { ($0 as? StoreError)?.code == .storeIsReadOnly }
    }

    @Test func theLockIsReleasedWhenTheStoreGoesAway() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let store = try openStore(directory.path)
            try appendWindows(store, workload, 0..<1)
        }
        let again = try openStore(directory.path)
        #expect(again.statistics.blocks == 1)
    }

    @Test func readOnlyNeverCreatesAnything() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect { try openStore(directory.appending("missing"), readOnlyOptions) } throws: {
            ($0 as? StoreError)?.code == .notFound
        }
        let reader = try openStore(directory.path, readOnlyOptions)
        #expect(try reader.query(from: 0, to: 1).samples.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func invalidOptionsAreRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.compressionLevel = 99
        #expect { try openStore(directory.path, options) } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        options = StoreOptions()
        options.compactedResolution = .zero
        #expect { try openStore(directory.path, options) } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        options = StoreOptions()
        options.coarseCompaction = CoarseCompaction(after: .seconds(60), resolution: .seconds(3600))
        #expect { try openStore(directory.path, options) } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        options.coarseCompaction = CoarseCompaction(after: .seconds(7200), resolution: .seconds(300))
        #expect { try openStore(directory.path, options) } throws: { ($0 as? StoreError)?.code == .invalidArgument }
    }
}
