import Foundation
import ProfileModel
import ProfileQuery
import Testing

@testable import ProfileStore

/// ``ProfileStore/series(from:to:step:sampleType:groupBy:limit:maxBuckets:blocks:where:)`` and the label listings on
/// the golden store, whose values are known exactly (see ``GoldenFixture``): windows 0 and 1 compacted into one
/// block of 20 s, window 2 two hours later.
@Suite struct SeriesAndLabelsTests {
    let store: ProfileStore
    let start = GoldenFixture.start
    let second: Int64 = 1_000_000_000

    init() throws {
        store = try openStore(GoldenTests.path(version: 2), readOnlyOptions)
    }

    @Test func compactedBlockIsSpreadOverItsBuckets() throws {
        // Samples 13 (window 0) + 23 (window 1) in one 20 s block: half in each 10 s bucket.
        let series = try store.series(from: start, to: start + 20 * second, step: 10 * second, sampleType: "samples")
        #expect(series.sampleType == ValueType(type: "samples", unit: "count"))
        #expect(series.start == start && series.covered == [true, true])
        #expect(series.groups == [StoreSeries.Group(labels: [:], values: [18, 18], total: 36)])
        #expect(series.other == nil && series.otherGroups == 0)
    }

    @Test func groupsRoundTheirSharesAndKeepTheirTotals() throws {
        let series = try store.series(
            from: start, to: start + 20 * second, step: 10 * second, sampleType: "samples", groupBy: ["thread_name"])
        // app: 9 + 18 = 27 → 13.5 rounds to 14, the rest 13; worker: 3 + 1 + 3 + 2 = 9 → 5 and 4.
        #expect(series.groups == [
            StoreSeries.Group(labels: ["thread_name": "app"], values: [14, 13], total: 27),
            StoreSeries.Group(labels: ["thread_name": "worker"], values: [5, 4], total: 9),
        ])
        let limited = try store.series(
            from: start, to: start + 20 * second, step: 10 * second, sampleType: "samples", groupBy: ["tid"],
            limit: 1)
        #expect(limited.groups.map(\.labels) == [["tid": "4242"]])
        #expect(limited.other == [5, 4] && limited.otherGroups == 2)
    }

    @Test func predicateAndDefaultColumn() throws {
        let selector = try Selector(parsing: "{thread_name=\"worker\"}")
        let series = try store.series(
            from: start, to: GoldenFixture.ranges[2].end, step: 3600 * second, blocks: { $0.labels.mayMatch(selector) },
            where: { selector.matches($0) })
        // The last column (cpu, in ns) by default; buckets of an hour from the start's hour: the compacted block in
        // the first, window 2 (3 + 3 worker samples) in the third; the second has no block.
        #expect(series.sampleType == ValueType(type: "cpu", unit: "nanoseconds"))
        #expect(series.covered == [true, false, true])
        let period = GoldenFixture.period
        #expect(series.groups.first?.values == [9 * period, 0, 6 * period])
    }

    @Test func bucketsThatWouldBeTooManyAreRefused() {
        #expect(throws: StoreError.self) {
            try store.series(from: start, to: start + 86_400 * second, step: second, maxBuckets: 1000)
        }
        #expect(throws: StoreError.self) { try store.series(from: start, to: start - 1, step: second) }
        #expect(throws: StoreError.self) { try store.series(from: start, to: start, step: 0) }
    }

    @Test func labelNamesAndValuesComeFromTheSummaries() throws {
        let all = (from: start, to: GoldenFixture.ranges[2].end)
        #expect(try store.labelNames(from: all.from, to: all.to) == ["comm", "exe", "pid", "thread_name", "tid"])
        let tids = try store.labelValues("tid", from: all.from, to: all.to)
        #expect(tids == LabelValues(values: ["4242", "4250", "4251", "4252"], truncated: false))
        let two = try store.labelValues("tid", from: all.from, to: all.to, limit: 2)
        #expect(two == LabelValues(values: ["4242", "4250"], truncated: true))
        #expect(try store.labelValues("comm", from: all.from, to: all.to).values == ["app"])
        #expect(try store.labelValues("nothing", from: all.from, to: all.to).values.isEmpty)
        #expect(try store.labelNames(from: 0, to: 1).isEmpty)
    }
}
