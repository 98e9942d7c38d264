import Foundation
import HummingbirdTesting
import ProfileModel
import Testing

@testable import ScorchServer

/// `GET /api/v1/pprof`: a gzip pprof download of exactly the merged profile.
@Suite struct PprofAPITests {
    @Test func downloadIsTheMergedProfile() async throws {
        let fixture = try RecordedStore.get()
        let selector = "{comm=~\"srv.*\"}"
        let expected = try fixture.expected(from: fixture.start, to: fixture.end, selector: selector)
        let response = try await withClient { client in
            try await client.get(
                uri("/api/v1/pprof", ["from": fixture.start.rfc3339, "to": fixture.end.rfc3339, "selector": selector]))
        }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/octet-stream")
        let disposition = try #require(response.headers[.contentDisposition])
        #expect(disposition.hasPrefix("attachment; filename=\"scorch-") && disposition.hasSuffix(".pb.gz\""))
        #expect(response.bytes.prefix(2) == [0x1f, 0x8b], "gzip")
        #expect(response.bytes == expected.pprofData())
        let decoded = try Profile(pprof: response.bytes)
        #expect(decoded.samples.count == expected.samples.count)
        let comms = Set(decoded.samples.compactMap { $0.labels.first { $0.key == "comm" }?.string })
        #expect(comms == ["srvsplit", "srvdeep"], "only the workloads the regular expression selects: \(comms)")
    }
}
