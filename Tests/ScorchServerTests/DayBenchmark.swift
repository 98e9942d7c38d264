import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ProfileModel
import ProfileStore
import Testing

@testable import ScorchServer

/// API latency over a day of data, shaped as the agent's store is after a day: the last hour as 360 windows of 10 s,
/// the 23 hours before as 276 blocks of 5 minutes (each the merge of 30 windows), all cut from the real recording.
///
/// A measurement, not a check of behaviour: run with `SCORCH_BENCH=1 swift test --filter DayBenchmark`. Each request
/// is timed warm (the second of two). With `SCORCH_BENCH_STORE=DIR` the store is written there and kept, for timing
/// a release `scorch serve` on it.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SCORCH_BENCH"] == "1"))
struct DayBenchmark {
    @Test func dayOfBlocks() async throws {
        let fixture = try RecordedStore.get()
        let kept = ProcessInfo.processInfo.environment["SCORCH_BENCH_STORE"]
        let directory = try kept ?? makeTemporaryDirectory("scorch-day").appendingPathComponent("store").path
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let store = try ProfileStore(directory: directory, logger: Logger(label: "bench"))
        let hour: Int64 = 3_600_000_000_000
        let end = Int64(Date().timeIntervalSince1970) * 1_000_000_000 / 300_000_000_000 * 300_000_000_000
        let start = end - 24 * hour
        var thirty = fixture.recording
        for sample in thirty.samples.indices { thirty.samples[sample].values = thirty.samples[sample].values.map { $0 * 30 } }
        let clock = ContinuousClock()
        let appending = clock.measure {
            for block in 0..<276 {
                let blockStart = start + Int64(block) * 300_000_000_000
                try? store.append(thirty, start: blockStart, end: blockStart + 300_000_000_000)
            }
            for window in 0..<360 {
                let windowStart = end - hour + Int64(window) * 10_000_000_000
                try? store.append(fixture.recording, start: windowStart, end: windowStart + 10_000_000_000)
            }
        }
        print("day store: \(try store.windows(from: start, to: end).count) blocks, appended in \(appending)")
        let server = ScorchServer(
            store: store, configuration: ServerConfiguration(webRoot: "/nonexistent"), logger: Logger(label: "bench"))
        let range = "from=\(start.rfc3339)&to=\(end.rfc3339)"
        try await Application(router: server.makeRouter()).test(.router) { client in
            for path in [
                "/api/v1/series?\(range)", "/api/v1/series?\(range)&group_by=comm",
                "/api/v1/series?\(range)&selector=%7Bcomm%3D%22srvsplit%22%7D",
                "/api/v1/flamegraph?\(range)", "/api/v1/top?\(range)", "/api/v1/labels/pid/values?\(range)",
            ] {
                _ = try await client.get(path)
                let started = clock.now
                let response = try await client.get(path)
                let elapsed = clock.now - started
                #expect(response.status == .ok)
                print("\(path.replacingOccurrences(of: range, with: "24h")): \(elapsed), \(response.bytes.count) bytes")
            }
        }
    }
}
