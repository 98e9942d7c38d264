import Hummingbird

extension ScorchAPI {
    /// `GET /metrics`: Prometheus text format. Cheap (counters in memory), so it does not wait behind queries.
    func prometheusMetrics(_ request: Request) throws -> Response {
        _ = try QueryParameters(query: request.uri.query, known: [])
        return .bytes(Array(metrics.render().utf8), contentType: ContentType.prometheusText)
    }
}
