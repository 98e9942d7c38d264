import Foundation
import HummingbirdTesting
import ProfileModel
import ProfileQuery
import Testing

@testable import ScorchServer

/// `base_from`, `base_to`, `base_selector` and `normalization` on the flame graph and the top table: the diff core's
/// own trees and tables (`FlameGraph(diffOf:…)`, `DiffTopReport`), so the UI and `scorch diff` agree.
@Suite struct DiffAPITests {
    let fixture: RecordedStore
    /// The compacted first half (windows 0…29) and the last 20 windows.
    let base: (from: Int64, to: Int64)
    let new: (from: Int64, to: Int64)

    init() throws {
        fixture = try RecordedStore.get()
        base = (fixture.windows[0].start, fixture.windows[29].end)
        new = (fixture.windows[40].start, fixture.windows[59].end)
    }

    @Test(arguments: [DiffNormalization.relative, .absolute])
    func flameGraphIsTheDiffCoresTree(_ normalization: DiffNormalization) async throws {
        let expected = try FlameGraph(
            diffOf: fixture.expected(from: new.from, to: new.to), base: fixture.expected(from: base.from, to: base.to),
            normalization: normalization)
        let graph = try await withClient { client in
            let response = try await client.get(
                uri(
                    "/api/v1/flamegraph",
                    [
                        "from": new.from.rfc3339, "to": new.to.rfc3339, "base_from": base.from.rfc3339,
                        "base_to": base.to.rfc3339, "normalization": normalization.rawValue,
                    ]))
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.text.contains("\"base_self\"") && response.text.contains("\"base_total\""))
            return try response.decode(FlameGraph.self)
        }
        #expect(graph.canonical == expected.canonical)
        #expect(graph.normalization == normalization)
        let rawBase = FlameGraph(try fixture.expected(from: base.from, to: base.to)).total
        #expect(graph.root.baseTotal == (normalization == .relative ? graph.total : rawBase))
        #expect(graph.baseUnscaledTotal == rawBase)
    }

    @Test func baseSelectorAloneComparesTwoSelectionsOfOneRange() async throws {
        let selector = "{comm=\"\(RecordedStore.workload)\"}"
        let expected = try FlameGraph(
            diffOf: fixture.expected(from: fixture.start, to: fixture.end, selector: selector),
            base: fixture.expected(from: fixture.start, to: fixture.end))
        let graph = try await withClient { client in
            try await client.get(
                uri(
                    "/api/v1/flamegraph",
                    ["from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "selector": selector, "base_selector": "{}"]))
                .decode(FlameGraph.self)
        }
        #expect(graph.canonical == expected.canonical)
        // The workload is all of the new side but only part of the base: its frames grew.
        let hotA = try #require(FlameGraphAPITests.nodes(graph.root).first { $0.name == "hot_a" })
        #expect(hotA.total > (hotA.baseTotal ?? .max))
    }

    @Test func topIsTheDiffReportOverGroupsOfWindows() async throws {
        func side(_ range: (from: Int64, to: Int64)) throws -> DiffSide {
            let store = try fixture.openReadOnly()
            let all = Selector.all
            return try DiffSide(
                windows: store.queryGroups(
                    from: range.from, to: range.to, maxGroups: 32, blocks: { $0.labels.mayMatch(all) },
                    where: { all.matches($0) }))
        }
        // Windows 30…39 (ten blocks) against the last 20: both sides have the 8 windows a bootstrap needs.
        let base = (fixture.windows[30].start, fixture.windows[39].end)
        var expected = try DiffTopReport(base: side(base), new: side(new))
        expected.rows = Array(expected.rows.prefix(5))
        let report = try await withClient { client in
            let response = try await client.get(
                uri(
                    "/api/v1/top",
                    [
                        "from": new.from.rfc3339, "to": new.to.rfc3339, "base_from": base.0.rfc3339,
                        "base_to": base.1.rfc3339, "limit": "5",
                    ]))
            #expect(response.status == .ok, "\(response.text)")
            return try response.decode(DiffTopReport.self)
        }
        #expect(report == expected)
        #expect(report.test == .windowBootstrap && report.rows.count == 5)
    }

    @Test func anEmptyBaseIs400SayingWhichSide() async throws {
        let response = try await withClient { client in
            try await client.get(
                uri("/api/v1/flamegraph", ["base_from": "2001-01-01T00:00:00Z", "base_to": "2001-01-02T00:00:00Z"]))
        }
        #expect(response.status == .badRequest)
        #expect(response.error?.parameter == "base_from")
        #expect(response.error?.error.contains("base profile has no samples") == true, "\(response.text)")
        let top = try await withClient { client in
            try await client.get(uri("/api/v1/top", ["from": "0", "to": "1", "base_from": "-1h", "base_to": "now"]))
        }
        #expect(top.status == .badRequest && top.error?.parameter == "from", "\(top.text)")
    }

    @Test(arguments: [
        ("base_from", "yesterday", "bad base_from"), ("base_selector", "{comm", "bad base_selector"),
        ("normalization", "percent", "relative or absolute"),
    ])
    func badBaseParametersAre400(_ name: String, _ value: String, _ says: String) async throws {
        let response = try await withClient { client in
            try await client.get(uri("/api/v1/top", [name: value, "base_to": "now"]))
        }
        #expect(response.status == .badRequest)
        #expect(response.error?.parameter == name && response.error?.error.contains(says) == true, "\(response.text)")
    }

    @Test func withoutABaseNormalizationChangesNothing() async throws {
        let (plain, ignored) = try await withClient { client in
            (
                try await client.get("/api/v1/flamegraph").decode(FlameGraph.self),
                try await client.get("/api/v1/flamegraph?normalization=absolute").decode(FlameGraph.self)
            )
        }
        #expect(plain.canonical == ignored.canonical && plain.normalization == nil && plain.root.baseTotal == nil)
    }
}
