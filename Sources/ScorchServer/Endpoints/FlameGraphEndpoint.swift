import Hummingbird
import ProfileModel

extension ScorchAPI {
    /// `GET /api/v1/flamegraph?from&to&selector&max_nodes`: the call tree of the matching samples as
    /// ``FlameGraph``'s JSON (`{unit, type, total, root}`), pruned to `max_nodes` with exact totals.
    func flameGraph(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(
            query: request.uri.query, known: ["from", "to", "selector", "max_nodes"])
        let filter = try ProfileFilter(parameters, now: wallClockNanos())
        let maxNodes = try parameters.integer(
            "max_nodes", default: Self.defaultFlameGraphNodes, in: 1...Self.maxFlameGraphNodes)
        let store = self.store
        let body = try await runner.run("the flame graph") {
            let profile = try filter.profile(from: store)
            return try Self.json(FlameGraph(profile, maxNodes: maxNodes))
        }
        return .bytes(body, contentType: ContentType.json)
    }
}
