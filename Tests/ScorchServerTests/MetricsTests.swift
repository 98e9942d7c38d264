import Foundation
import HummingbirdTesting
import Synchronization
import Testing

@testable import ScorchServer

/// `/metrics` is valid Prometheus text (checked by prometheus_client's own parser) with the agent's and the store's
/// counters.
@Suite struct MetricsTests {
    /// Counters an agent would report; the test advances them between scrapes.
    final class Counters: AgentMetricsSource {
        let metrics = Mutex(AgentMetrics())
        func currentAgentMetrics() -> AgentMetrics { metrics.withLock { $0 } }
    }

    struct Family: Decodable {
        struct Sample: Decodable {
            var name: String
            var labels: [String: String]
            var value: Double
        }
        var name: String
        var type: String
        var samples: [Sample]
    }

    /// The families prometheus_client's parser reads from `text`; fails when it rejects the text.
    static func parse(_ text: String) throws -> [String: Family] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            families = [{"name": f.name, "type": f.type,
                         "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
                        for f in text_string_to_metric_families(sys.stdin.read())]
            print(json.dumps(families))
            """
        let result = try run(try venvTool("python"), ["-c", script], input: text)
        guard result.status == 0 else { throw TestFailure("prometheus_client rejected /metrics: \(result.stderr)") }
        let families = try JSONDecoder().decode([Family].self, from: Data(result.stdout.utf8))
        return Dictionary(families.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func value(_ families: [String: Family], _ family: String, _ labels: [String: String] = [:]) -> Double? {
        families[family]?.samples.first { $0.labels == labels && !$0.name.hasSuffix("_created") }?.value
    }

    @Test func agentAndStoreCountersParseAsPrometheusText() async throws {
        let agent = Counters()
        agent.metrics.withLock {
            $0.samples = 1200
            $0.losses = ["ring-buffer-full": 3, "user-stack-collision": 7]
            $0.truncatedStacks = ["snapshot-end": 11]
            $0.frames = 5000
            $0.unsymbolizedFrames = 40
            $0.windowsWritten = 6
            $0.storeBytesWritten = 123_456
            $0.writeErrors = ["diskFull": 2]
        }
        let fixture = try RecordedStore.get()
        let blocks = try fixture.openReadOnly().statistics.blocks
        let (first, second) = try await withClient(agent: agent) { client in
            let first = try await client.get("/metrics")
            agent.metrics.withLock {
                $0.samples = 1500
                $0.losses["ring-buffer-full"] = 5
                $0.windowsWritten = 7
            }
            _ = try await client.get("/api/v1/labels?from=-2h")
            return (first, try await client.get("/metrics"))
        }
        #expect(first.status == .ok)
        #expect(first.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        let before = try Self.parse(first.text)
        #expect(before["scorch_samples"]?.type == "counter")
        #expect(Self.value(before, "scorch_samples") == 1200)
        #expect(Self.value(before, "scorch_samples_lost", ["reason": "ring-buffer-full"]) == 3)
        #expect(Self.value(before, "scorch_samples_lost", ["reason": "user-stack-collision"]) == 7)
        #expect(Self.value(before, "scorch_truncated_stacks", ["reason": "snapshot-end"]) == 11)
        #expect(Self.value(before, "scorch_unsymbolized_frames") == 40)
        #expect(Self.value(before, "scorch_store_bytes_written") == 123_456)
        #expect(Self.value(before, "scorch_window_write_errors", ["kind": "diskFull"]) == 2)
        #expect(before["scorch_store_blocks"]?.type == "gauge")
        #expect(Self.value(before, "scorch_store_blocks") == Double(blocks))
        #expect(Self.value(before, "scorch_store_size_bytes") ?? 0 > 0)

        // Counters advance to the agent's new totals; requests are counted by endpoint and status.
        let after = try Self.parse(second.text)
        #expect(Self.value(after, "scorch_samples") == 1500)
        #expect(Self.value(after, "scorch_samples_lost", ["reason": "ring-buffer-full"]) == 5)
        #expect(Self.value(after, "scorch_windows_written") == 7)
        #expect(Self.value(after, "scorch_http_requests", ["endpoint": "/api/v1/labels", "code": "200"]) == 1)
        #expect(Self.value(after, "scorch_http_requests", ["endpoint": "/metrics", "code": "200"]) == 1)
    }

    @Test func serveHasTheStoreCountersOnly() async throws {
        let text = try await withClient { client in try await client.get("/metrics").text }
        let families = try Self.parse(text)
        #expect(families["scorch_samples"] == nil)
        #expect(Self.value(families, "scorch_store_segments") ?? 0 >= 1)
        #expect(Self.value(families, "scorch_store_corrupt_blocks_skipped") == 0)
    }
}
