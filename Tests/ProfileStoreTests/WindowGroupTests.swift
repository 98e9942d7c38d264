import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// `queryGroups`: a range as groups of consecutive windows, whose merge is the range's query.
@Suite struct WindowGroupTests {
    let workload = Workload.small

    @Test func groupsPartitionTheRangeInTimeOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path)
        let written = try appendWindows(store, workload, 0..<10)

        let groups = try store.queryGroups(from: everything.from, to: everything.to, maxGroups: 4)
        #expect(groups.count == 4)
        // 10 windows dealt into 4 groups in time order: 2, 3, 2, 3.
        let expected = [0..<2, 2..<5, 5..<7, 7..<10].map { try? Profile.merge(Array(written[$0])) }
        #expect(groups.map { Optional($0) } == expected)
        #expect(try Profile.merge(groups) == store.query(from: everything.from, to: everything.to))

        // More groups than windows: one window each. A range inside the store: only its windows.
        #expect(try store.queryGroups(from: everything.from, to: everything.to, maxGroups: 50).count == 10)
        let inner = try store.queryGroups(
            from: workload.range(3).start, to: workload.range(6).start, maxGroups: 8)
        #expect(inner == [3, 4, 5].map { try? Profile.merge([written[$0]]) }.compactMap { $0 })

        // A predicate that matches nothing leaves no groups; so does an empty range.
        #expect(try store.queryGroups(from: everything.from, to: everything.to, maxGroups: 4, where: { _ in false }).isEmpty)
        #expect(try store.queryGroups(from: 0, to: 1, maxGroups: 4).isEmpty)
        #expect(throws: StoreError.self) { try store.queryGroups(from: 10, to: 1, maxGroups: 4) }
    }
}
