/// The paths of the API, for the middlewares that treat API calls differently from static files.
enum Routes {
    static let prefix = "/api/v1"
    static let flameGraph = "/api/v1/flamegraph"
    static let top = "/api/v1/top"
    static let series = "/api/v1/series"
    static let labels = "/api/v1/labels"
    static let labelValues = "/api/v1/labels/{name}/values"
    static let pprof = "/api/v1/pprof"
    static let openAPI = "/api/v1/openapi.yaml"
    static let metrics = "/metrics"

    /// Whether `path` belongs to the API (and so needs the token and is never a file): `/api/…` and `/metrics…`.
    static func isAPI(_ path: String) -> Bool {
        path == metrics || path.hasPrefix(metrics + "/") || path == "/api" || path.hasPrefix("/api/")
    }

    /// Whether `path` is one of the endpoints (any method), for answering 405 instead of 404.
    static func isKnownAPIPath(_ path: String) -> Bool {
        if [flameGraph, top, series, labels, pprof, openAPI, metrics].contains(path) { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "api", "v1", "labels", name, "values"
        return parts.count == 6 && parts[0].isEmpty && parts[1] == "api" && parts[2] == "v1" && parts[3] == "labels"
            && !parts[4].isEmpty && parts[5] == "values"
    }
}
