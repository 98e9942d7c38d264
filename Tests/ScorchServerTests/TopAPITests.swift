import Foundation
import HummingbirdTesting
import ProfileModel
import Testing

@testable import ScorchServer

/// `GET /api/v1/top`: the rows of `scorch query --format top`, with files and percentages.
@Suite struct TopAPITests {
    let fixture: RecordedStore

    init() throws {
        fixture = try RecordedStore.get()
    }

    @Test func rowsAreThoseOfTheTopReport() async throws {
        let selector = "{comm=\"\(RecordedStore.workload)\"}"
        let expected = TopReport(try fixture.expected(from: fixture.start, to: fixture.end, selector: selector))
        let top = try await withClient { client in
            try await client.get(
                uri("/api/v1/top", ["from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "selector": selector]))
                .decode(TopResponse.self)
        }
        #expect(top.total == expected.total && top.type == "cpu" && top.unit == "nanoseconds")
        #expect(top.rows.map(\.name) == expected.rows.prefix(100).map(\.name))
        #expect(top.rows.map(\.flat) == expected.rows.prefix(100).map(\.flat))
        #expect(top.rows.map(\.cum) == expected.rows.prefix(100).map(\.cum))
        #expect(top.totalRows == expected.rows.count)
        let hotA = try #require(top.rows.first { $0.name == "hot_a" })
        let hotB = try #require(top.rows.first { $0.name == "hot_b" })
        #expect(hotA.file?.hasSuffix("srvsplit.c") == true)
        #expect(abs(hotA.flatPercent - Double(hotA.flat) * 100 / Double(top.total)) < 0.006)
        // split.c spends three quarters of its work in hot_a.
        let share = Double(hotA.flat) / Double(hotA.flat + hotB.flat)
        #expect(share > 0.6 && share < 0.9, "hot_a's share \(share)")
        #expect(top.rows.allSatisfy { $0.cumPercent >= $0.flatPercent - 0.01 && $0.cumPercent <= 100.001 })
    }

    @Test func limitCutsRows() async throws {
        let top = try await withClient { client in
            try await client.get(uri("/api/v1/top", ["limit": "3"])).decode(TopResponse.self)
        }
        #expect(top.rows.count == 3 && top.totalRows > 3)
    }
}
