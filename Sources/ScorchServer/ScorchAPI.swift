import Foundation
import Hummingbird
import Logging
import ProfileStore

/// The API's handlers and what they share: the store, the query runner and the metrics.
///
/// Each endpoint lives in its own file under Endpoints/ as an extension; ``register(on:)`` wires them to paths.
struct ScorchAPI: Sendable {
    let store: ProfileStore
    let runner: QueryRunner
    let metrics: MetricsExporter
    let webRoot: WebRoot

    /// Most nodes a flame graph may keep (the UI stays fluid with 100k).
    static let maxFlameGraphNodes = 200_000
    static let defaultFlameGraphNodes = 8192
    /// Most rows of a top table.
    static let maxTopRows = 10_000
    static let defaultTopRows = 100

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get(RouterPath(Routes.flameGraph)) { request, _ in try await flameGraph(request) }
        router.get(RouterPath(Routes.top)) { request, _ in try await top(request) }
        router.get(RouterPath(Routes.series)) { request, _ in try await series(request) }
        router.get(RouterPath(Routes.labels)) { request, _ in try await labelNames(request) }
        router.get(RouterPath(Routes.labelValues)) { request, context in
            try await labelValues(request, name: context.parameters.get("name") ?? "")
        }
        router.get(RouterPath(Routes.pprof)) { request, _ in try await pprof(request) }
        router.get(RouterPath(Routes.openAPI)) { request, _ in try openAPI(request) }
        router.get(RouterPath(Routes.metrics)) { request, _ in try prometheusMetrics(request) }
    }

    /// `value` as a JSON response.
    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONEncoder.api.encode(value))
    }
}
