import Foundation
import Hummingbird
import ProfileStore

/// The JSON of `GET /api/v1/labels`.
struct LabelNamesResponse: Codable, Equatable {
    var names: [String]
}

/// The JSON of `GET /api/v1/labels/{name}/values`.
struct LabelValuesResponse: Codable, Equatable {
    var values: [String]
    /// True when there were more values than `limit`.
    var truncated: Bool
}

extension ScorchAPI {
    static let maxLabelValues = 10_000
    static let defaultLabelValues = 1000

    /// `GET /api/v1/labels?from&to`: the label names of the stored samples in the range, from block metadata.
    func labelNames(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(query: request.uri.query, known: ["from", "to"])
        let range = try ProfileFilter(parameters, now: wallClockNanos()).range
        let store = self.store
        let body = try await runner.run("the label names") {
            try Self.json(LabelNamesResponse(names: store.labelNames(from: range.from, to: range.to)))
        }
        return .bytes(body, contentType: ContentType.json)
    }

    /// `GET /api/v1/labels/{name}/values?from&to&limit`: the distinct values of one label in the range.
    func labelValues(_ request: Request, name: String) async throws -> Response {
        let parameters = try QueryParameters(query: request.uri.query, known: ["from", "to", "limit"])
        guard let decoded = name.removingPercentEncoding, Self.isLabelName(decoded) else {
            throw APIError(.badRequest, "\"\(name)\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)", parameter: "name")
        }
        let range = try ProfileFilter(parameters, now: wallClockNanos()).range
        let limit = try parameters.integer("limit", default: Self.defaultLabelValues, in: 1...Self.maxLabelValues)
        let store = self.store
        let body = try await runner.run("the label values") {
            let values = try store.labelValues(decoded, from: range.from, to: range.to, limit: limit)
            return try Self.json(LabelValuesResponse(values: values.values, truncated: values.truncated))
        }
        return .bytes(body, contentType: ContentType.json)
    }
}
