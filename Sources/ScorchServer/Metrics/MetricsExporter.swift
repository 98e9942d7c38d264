import Prometheus
import ProfileStore
import Synchronization

/// Renders `/metrics`: the agent's counters (when running inside the agent), the store's, and the server's own
/// request counts, in the Prometheus text format through swift-prometheus.
///
/// The agent and the store keep cumulative totals of their own; on each scrape the exporter advances the matching
/// Prometheus counters by what was added since the previous scrape, so the exported counters are real counters
/// (monotonic, with `# TYPE … counter`), and sizes of the store are gauges set to the current value.
final class MetricsExporter: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let store: ProfileStore
    private let agent: (any AgentMetricsSource)?
    /// The value each counter was last advanced to, by name and labels.
    private let exported = Mutex<[String: UInt64]>([:])

    init(store: ProfileStore, agent: (any AgentMetricsSource)?) {
        self.store = store
        self.agent = agent
    }

    /// Counts one answered request (by endpoint and status class, so label values stay few).
    func countRequest(endpoint: String, status: Int) {
        counter(
            "scorch_http_requests", "HTTP requests answered, by endpoint and status code",
            labels: [("endpoint", endpoint), ("code", String(status))]
        ).increment()
    }

    /// The text of a scrape.
    func render() -> String {
        if let agent {
            let metrics = agent.currentAgentMetrics()
            advance("scorch_samples", "Samples in stored or attempted windows", to: metrics.samples)
            for (reason, count) in metrics.losses {
                advance(
                    "scorch_samples_lost", "Samples or their stacks lost, by reason", labels: [("reason", reason)],
                    to: count)
            }
            for (reason, count) in metrics.truncatedStacks {
                advance(
                    "scorch_truncated_stacks", "Samples whose user stack was cut short, by reason",
                    labels: [("reason", reason)], to: count)
            }
            advance("scorch_frames", "Stack frames symbolized", to: metrics.frames)
            advance("scorch_unsymbolized_frames", "Stack frames that resolved to no symbol", to: metrics.unsymbolizedFrames)
            advance("scorch_windows_written", "Windows stored", to: metrics.windowsWritten)
            advance("scorch_store_bytes_written", "Bytes of stored windows", to: metrics.storeBytesWritten)
            for (kind, count) in metrics.writeErrors {
                advance(
                    "scorch_window_write_errors", "Windows that could not be stored, by error kind",
                    labels: [("kind", kind)], to: count)
            }
        }
        let statistics = store.statistics
        gauge("scorch_store_segments", "Segment files of the store").set(Int64(statistics.segments))
        gauge("scorch_store_blocks", "Readable blocks (windows and compacted blocks) of the store")
            .set(Int64(statistics.blocks))
        gauge("scorch_store_size_bytes", "Bytes of all segment files of the store").set(statistics.bytesOnDisk)
        advance(
            "scorch_store_corrupt_blocks_skipped", "Store blocks skipped because a checksum or decoding failed",
            to: UInt64(statistics.corruptBlocksSkipped))
        advance(
            "scorch_store_compactions", "Store compaction runs that rewrote a segment",
            to: UInt64(statistics.compactions))
        advance(
            "scorch_store_retention_blocks_dropped", "Store blocks removed by retention",
            to: UInt64(statistics.retentionBlocksDropped))
        for (code, count) in statistics.writeErrors {
            advance(
                "scorch_store_write_errors", "Failed store writes and maintenance runs, by error kind",
                labels: [("kind", "\(code)")], to: UInt64(count))
        }
        return registry.emitToString()
    }

    /// Advances the counter `name{labels}` to the cumulative `value`.
    private func advance(_ name: String, _ help: String, labels: [(String, String)] = [], to value: UInt64) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = exported.withLock { exported -> UInt64 in
            let previous = exported[key] ?? 0
            guard value > previous else { return 0 }
            exported[key] = value
            return value - previous
        }
        let metric = counter(name, help, labels: labels)
        if delta > 0 { metric.increment(by: Int64(clamping: delta)) }
    }

    private func counter(_ name: String, _ help: String, labels: [(String, String)]) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help), labels: labels)
    }

    private func gauge(_ name: String, _ help: String) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: [])
    }
}
