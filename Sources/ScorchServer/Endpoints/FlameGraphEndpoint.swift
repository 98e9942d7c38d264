import Hummingbird
import ProfileModel

extension ScorchAPI {
    /// `GET /api/v1/flamegraph?from&to&selector&max_nodes`: the call tree of the matching samples as
    /// ``FlameGraph``'s JSON (`{unit, type, total, root}`), pruned to `max_nodes` with exact totals.
    ///
    /// With `base_from`, `base_to` or `base_selector` (see ``DiffParameters``) it is the diff flame graph of the
    /// range against the base, `FlameGraph(diffOf:base:normalization:maxNodes:)`, the tree `scorch diff` prints:
    /// nodes also carry `base_self` and `base_total`, scaled to the range's total unless `normalization=absolute`.
    func flameGraph(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(
            query: request.uri.query, known: Set(["from", "to", "selector", "max_nodes"]).union(DiffParameters.names))
        let now = wallClockNanos()
        let filter = try ProfileFilter(parameters, now: now)
        let diff = try DiffParameters.parse(parameters, now: now)
        let maxNodes = try parameters.integer(
            "max_nodes", default: Self.defaultFlameGraphNodes, in: 1...Self.maxFlameGraphNodes)
        let store = self.store
        let body = try await runner.run(diff == nil ? "the flame graph" : "the diff flame graph") {
            let profile = try filter.profile(from: store)
            guard let diff else { return try Self.json(FlameGraph(profile, maxNodes: maxNodes)) }
            let base = try diff.base.profile(from: store)
            do {
                return try Self.json(
                    FlameGraph(diffOf: profile, base: base, normalization: diff.normalization, maxNodes: maxNodes))
            } catch let error as ProfileError {
                throw DiffParameters.refused(error)
            }
        }
        return .bytes(body, contentType: ContentType.json)
    }
}
