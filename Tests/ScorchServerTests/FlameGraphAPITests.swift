import Foundation
import HummingbirdTesting
import ProfileModel
import Testing

@testable import ScorchServer

/// `GET /api/v1/flamegraph` on a store of real recordings: the same tree the store's query gives, pruned exactly.
@Suite struct FlameGraphAPITests {
    let fixture: RecordedStore

    init() throws {
        fixture = try RecordedStore.get()
    }

    var workloadSelector: String { "{comm=\"\(RecordedStore.workload)\"}" }

    @Test func flameGraphIsTheTreeOfTheStoreQuery() async throws {
        let (from, to) = (fixture.start, fixture.end)
        let expected = FlameGraph(try fixture.expected(from: from, to: to, selector: workloadSelector))
        let graph = try await withClient { client in
            let response = try await client.get(
                uri(
                    "/api/v1/flamegraph",
                    ["from": from.rfc3339, "to": to.rfc3339, "selector": workloadSelector]))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return try response.decode(FlameGraph.self)
        }
        #expect(graph.canonical == expected.canonical)
        #expect(graph.unit == "nanoseconds" && graph.type == "cpu")
        #expect(graph.total == graph.root.total && graph.total > 0)
        // The workload's own functions, with their source file from DWARF.
        let names = Self.nodes(graph.root).map(\.name)
        #expect(names.contains("hot_a") && names.contains("hot_b") && names.contains("work"), "\(names)")
        let hotA = Self.nodes(graph.root).first { $0.name == "hot_a" }
        #expect(hotA?.file?.hasSuffix("srvsplit.c") == true)
        #expect(hotA?.mapping == RecordedStore.workload)
    }

    @Test func defaultsAreTheLastHourOfEverything() async throws {
        let graph = try await withClient { client in
            try await client.get("/api/v1/flamegraph").decode(FlameGraph.self)
        }
        // Every stored window is within the last hour.
        let everything = FlameGraph(try fixture.expected(from: fixture.start, to: fixture.end))
        #expect(graph.total == everything.total)
        #expect(graph.root.children.count > 1, "more processes than the workload")
    }

    @Test(arguments: [1, 2, 7, 50]) func maxNodesPrunesWithExactTotals(maxNodes: Int) async throws {
        let graph = try await withClient { client in
            try await client.get(uri("/api/v1/flamegraph", ["max_nodes": "\(maxNodes)", "from": "-1h"]))
                .decode(FlameGraph.self)
        }
        let full = FlameGraph(try fixture.expected(from: fixture.start, to: fixture.end))
        #expect(graph.root.nodeCount <= maxNodes)
        #expect(full.root.nodeCount > maxNodes)
        #expect(graph.total == full.total && graph.root.total == full.root.total)
        for node in Self.nodes(graph.root) {
            #expect(node.`self` + node.children.reduce(0) { $0 + $1.total } == node.total, "\(node.name)")
        }
    }

    @Test func emptyRangeGivesAnEmptyTree() async throws {
        let graph = try await withClient { client in
            try await client.get(uri("/api/v1/flamegraph", ["from": "2001-01-01T00:00:00Z", "to": "2001-01-02T00:00:00Z"]))
                .decode(FlameGraph.self)
        }
        #expect(graph.total == 0 && graph.root.children.isEmpty && graph.root.name == "root")
    }

    static func nodes(_ node: FlameGraph.Node) -> [FlameGraph.Node] {
        [node] + node.children.flatMap(nodes)
    }
}
