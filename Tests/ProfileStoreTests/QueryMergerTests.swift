import ProfileModel
import Testing

@testable import ProfileStore

/// The query merge finds locations by mapping and address first and compares their lines in place; locations at the
/// same address with other lines (a binary re-symbolized, a folded location) must stay distinct, exactly as
/// `Profile.merge` keeps them.
@Suite struct QueryMergerTests {
    /// One window: location 1 at `mapping`+0x1000 in `function`:`line` (folded or not), location 2 at +0x2000 in
    /// main, one sample of `count` on the stack [1, 2].
    func window(_ index: Int, function: String, line: Int64, folded: Bool = false, count: Int64) -> Profile {
        let start: Int64 = 1_700_000_000_000_000_000 + Int64(index) * 10_000_000_000
        let mapping = Mapping(
            id: 1, start: 0x40_0000, limit: 0x50_0000, offset: 0, file: "/usr/bin/app", buildID: "abcd",
            hasFunctions: true)
        return Profile(
            sampleTypes: [ValueType(type: "samples", unit: "count")],
            samples: [Sample(locationIDs: [1, 2], values: [count], labels: [.string("comm", "app")])],
            mappings: [mapping],
            locations: [
                Location(id: 1, mappingID: 1, address: 0x40_1000, lines: [Line(functionID: 1, line: line)],
                    isFolded: folded),
                Location(id: 2, mappingID: 1, address: 0x40_2000, lines: [Line(functionID: 2, line: 3)]),
            ],
            functions: [
                Function(id: 1, name: function, filename: "app.c"), Function(id: 2, name: "main", filename: "app.c"),
            ],
            timeNanos: start, durationNanos: 10_000_000_000)
    }

    @Test func locationsAtOneAddressWithOtherLinesStayDistinct() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try openStore(directory.path)
        let windows = [
            window(0, function: "work", line: 10, count: 3),
            window(1, function: "work", line: 11, count: 5),  // same address, another line
            window(2, function: "other", line: 10, count: 7),  // same address, another function
            window(3, function: "work", line: 10, folded: true, count: 11),
            window(4, function: "work", line: 10, count: 13),  // the first one again
            window(5, function: "work", line: 11, count: 17),  // the second one again
        ]
        for profile in windows {
            try store.append(profile, start: profile.timeNanos, end: profile.timeNanos + profile.durationNanos)
        }
        let merged = try store.query(from: everything.from, to: everything.to)
        #expect(merged == (try Profile.merge(windows)))
        #expect(merged.locations.count == 5)
        #expect(merged.samples.map(\.values) == [[16], [22], [7], [11]])
    }
}
