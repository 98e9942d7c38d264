import Foundation
import HummingbirdTesting
import ProfileModel
import Testing

@testable import ScorchServer

/// `GET /api/v1/series` over window blocks, a compacted 5-minute block and a gap without data.
@Suite struct SeriesAPITests {
    let fixture: RecordedStore

    init() throws {
        fixture = try RecordedStore.get()
    }

    func series(_ parameters: KeyValuePairs<String, String>) async throws -> SeriesResponse {
        try await withClient { client in
            let response = try await client.get(uri("/api/v1/series", parameters))
            #expect(response.status == .ok, "\(response.text)")
            return try response.decode(SeriesResponse.self)
        }
    }

    func total(_ profile: Profile) -> Int64 {
        profile.samples.reduce(0) { $0 + $1.values[1] }
    }

    @Test func bucketsHoldEveryStoredSampleAndGapsHaveNoPoints() async throws {
        let response = try await series(["from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "step": "10s"])
        #expect(response.step == 10_000 && response.type == "cpu" && response.unit == "nanoseconds")
        let line = try #require(response.series.first)
        #expect(response.series.count == 1 && line.labels.isEmpty && line.other == nil)
        let startMs = fixture.start / 1_000_000
        let times = line.points.map { ($0[0] - startMs) / 10_000 }
        // 40 windows, then 5 minutes without data, then 20 windows.
        #expect(times == Array(0..<40) + Array(70..<90))
        let expected = fixture.windows.reduce(Int64(0)) { sum, window in
            sum + total(window.whole ? fixture.recording : fixture.workloadOnly)
        }
        #expect(line.points.reduce(0) { $0 + $1[1] } == expected)
        // Windows 30…39 are blocks of their own: one bucket each, exactly.
        for index in 30..<40 {
            let window = fixture.windows[index]
            #expect(line.points[index][1] == total(window.whole ? fixture.recording : fixture.workloadOnly))
        }
        // The compacted block (windows 0…29) is spread evenly over its 30 buckets.
        let compacted = fixture.windows[0..<30].reduce(Int64(0)) {
            $0 + total($1.whole ? fixture.recording : fixture.workloadOnly)
        }
        #expect(line.points[0..<30].reduce(0) { $0 + $1[1] } == compacted)
        #expect(line.points[0..<30].allSatisfy { abs($0[1] - compacted / 30) <= 1 })
    }

    @Test func groupedByCommTheWorkloadLineIsTheSelectorsSeries() async throws {
        let range: KeyValuePairs<String, String> = [
            "from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "step": "1m", "group_by": "comm",
        ]
        let grouped = try await series(range)
        let workload = try #require(grouped.series.first { $0.labels == ["comm": RecordedStore.workload] })
        let selected = try await series([
            "from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "step": "1m",
            "selector": "{comm=\"\(RecordedStore.workload)\"}",
        ])
        #expect(workload.points == selected.series.first?.points)
        // The largest line first, every line labelled by comm; with "other" (beyond 10 lines), they add up to all.
        let lines = grouped.series.filter { $0.other != true }
        let totals = lines.map { $0.points.reduce(0) { $0 + $1[1] } }
        #expect(totals == totals.sorted(by: >) && lines.count <= 10)
        #expect(lines.allSatisfy { $0.labels.keys.sorted() == ["comm"] })
        let all = try await series(["from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "step": "1m"])
        let everything = grouped.series.reduce(0) { $0 + $1.points.reduce(0) { $0 + $1[1] } }
        #expect(everything == all.series[0].points.reduce(0) { $0 + $1[1] })
    }

    @Test func limitFoldsTheRestIntoOther() async throws {
        let response = try await series([
            "from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "group_by": "comm,pid", "limit": "1",
        ])
        #expect(response.series.count == 2, "one line and the rest")
        #expect(response.series[0].labels.keys.sorted() == ["comm", "pid"])
        #expect(response.series[1].other == true && response.series[1].labels.isEmpty)
        let all = try await series(["from": fixture.start.rfc3339, "to": fixture.end.rfc3339])
        // Same default step, so the two lines add up to the whole, bucket by bucket.
        #expect(response.step == all.step && response.step == 5000)
        // Each group's share of a block is rounded on its own, so a bucket may differ by one per group; the sums
        // of whole blocks are exact.
        let groups = try await series([
            "from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "group_by": "comm,pid", "limit": "100",
        ]).series.count
        let sum = response.series[0].points.indices.map {
            response.series[0].points[$0][1] + response.series[1].points[$0][1]
        }
        let whole = all.series[0].points.map { $0[1] }
        #expect(sum.count == whole.count && zip(sum, whole).allSatisfy { abs($0 - $1) <= groups })
        #expect(sum.reduce(0, +) == whole.reduce(0, +))
    }

    @Test func selectorThatMatchesNothingGivesZeroes() async throws {
        let response = try await series([
            "from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "step": "5m", "selector": "{comm=\"nothing\"}",
        ])
        #expect(response.series.count == 1)
        #expect(response.series[0].points.allSatisfy { $0[1] == 0 })
    }
}
