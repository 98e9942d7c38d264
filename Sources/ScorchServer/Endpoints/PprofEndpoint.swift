import Hummingbird
import ProfileModel
import ProfileQuery

extension ScorchAPI {
    /// `GET /api/v1/pprof?from&to&selector`: the merged profile as a gzip-compressed pprof file, the same bytes
    /// `scorch query --format pprof` writes, offered as a download named after the range.
    func pprof(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(query: request.uri.query, known: ["from", "to", "selector"])
        let filter = try ProfileFilter(parameters, now: wallClockNanos())
        let store = self.store
        let body = try await runner.run("the pprof profile") { try filter.profile(from: store).pprofData() }
        let name = "scorch-\(Self.fileStamp(filter.range.from))-\(Self.fileStamp(filter.range.to)).pb.gz"
        return .bytes(
            body, contentType: ContentType.pprof,
            headers: [.contentDisposition: "attachment; filename=\"\(name)\""])
    }

    /// `20261125T080000Z`: an RFC 3339 time (to the second) without the characters file names dislike.
    static func fileStamp(_ nanoseconds: Int64) -> String {
        let text = TimeExpression.rfc3339(nanoseconds - nanoseconds % 1_000_000_000)
        return String(text.filter { $0 != "-" && $0 != ":" })
    }
}
