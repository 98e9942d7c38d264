import Foundation
import HummingbirdTesting
import Testing

@testable import ScorchServer

/// `GET /api/v1/labels` and `/api/v1/labels/{name}/values` from the blocks' label summaries.
@Suite struct LabelsAPITests {
    @Test func namesAreTheAgentsLabels() async throws {
        let response = try await withClient { client in
            try await client.get("/api/v1/labels").decode(LabelNamesResponse.self)
        }
        #expect(Set(["pid", "tid", "comm", "exe"]).isSubset(of: Set(response.names)), "\(response.names)")
        #expect(response.names == response.names.sorted())
    }

    @Test func valuesOfCommIncludeTheWorkload() async throws {
        let fixture = try RecordedStore.get()
        let expected = Set(fixture.recording.samples.flatMap { $0.labels.filter { $0.key == "comm" }.compactMap(\.string) })
        let response = try await withClient { client in
            try await client.get("/api/v1/labels/comm/values").decode(LabelValuesResponse.self)
        }
        #expect(Set(response.values) == expected)
        #expect(response.values.contains(RecordedStore.workload) && !response.truncated)
    }

    @Test func numericValuesComeInNumericOrderAndLimitTruncates() async throws {
        let fixture = try RecordedStore.get()
        let pids = Set(fixture.recording.samples.flatMap { $0.labels.filter { $0.key == "pid" }.compactMap(\.number) })
        let (all, two) = try await withClient { client in
            (
                try await client.get("/api/v1/labels/pid/values").decode(LabelValuesResponse.self),
                try await client.get("/api/v1/labels/pid/values?limit=2").decode(LabelValuesResponse.self)
            )
        }
        #expect(all.values == pids.sorted().map { String($0) })
        #expect(two.values == Array(all.values.prefix(2)) && two.truncated == (pids.count > 2))
    }

    @Test func rangeWithoutDataHasNoLabels() async throws {
        let (names, values) = try await withClient { client in
            (
                try await client.get("/api/v1/labels?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z")
                    .decode(LabelNamesResponse.self),
                try await client.get("/api/v1/labels/comm/values?from=0&to=1").decode(LabelValuesResponse.self)
            )
        }
        #expect(names.names.isEmpty && values.values.isEmpty)
    }
}
