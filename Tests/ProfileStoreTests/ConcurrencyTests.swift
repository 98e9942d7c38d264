import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// One writer and several readers at once: readers see whole windows, in order, never a partial block.
@Suite struct ConcurrencyTests {
    let workload = Workload.small

    @Test func readOnlyStoreFollowsAGrowingStore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try openStore(directory.path)
        let reader = try openStore(directory.path, readOnlyOptions)
        let workload = self.workload
        let expected = try [Profile()] + (1...60).map { try Profile.merge((0..<$0).map(workload.window)) }
        let appending = BackgroundThread { try appendWindows(writer, workload, 0..<60) }
        var reads = 0
        var seen = Set<Int>()
        repeat {
            for store in [reader, writer] {
                let result = try store.query(from: everything.from, to: everything.to)
                let samples = Int(result.samples.reduce(0) { $0 + $1.values[0] })
                #expect(samples % workload.samplesPerWindow == 0)
                let count = samples / workload.samplesPerWindow
                seen.insert(count)
                if count > 0 { #expect(result == expected[count], "after \(count) windows") }
            }
            reads += 1
        } while !appending.isDone
        try appending.join()
        #expect(try reader.query(from: everything.from, to: everything.to) == expected[60])
        #expect(reader.statistics.corruptBlocksSkipped == 0)
        #expect(reader.statistics.tornTailsTruncated == 0)
        // The reader saw the store at several sizes, not just empty and full.
        #expect(seen.count > 2, "\(reads) reads saw \(seen.sorted())")
    }

    @Test func manyThreadsQueryWhileOneAppends() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = StoreOptions()
        options.segmentBytes = 16 << 10
        let store = try openStore(directory.path, options)
        let workload = self.workload
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try appendWindows(store, workload, 0..<40) }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<20 {
                        let infos = try store.windows(from: everything.from, to: everything.to)
                        let result = try store.query(from: everything.from, to: everything.to)
                        #expect(
                            result.samples.reduce(0) { $0 + $1.values[0] }
                                >= Int64(infos.count * workload.samplesPerWindow))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(store.statistics.windowsAppended == 40)
        #expect(
            try store.query(from: everything.from, to: everything.to) == Profile.merge((0..<40).map(workload.window)))
    }
}
