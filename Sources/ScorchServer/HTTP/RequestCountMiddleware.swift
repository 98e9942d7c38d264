import Hummingbird

/// Counts every answered request for `/metrics`, by endpoint (the route's pattern, `static` for files, `none` for
/// unknown paths, so label values stay few) and status.
struct RequestCountMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MetricsExporter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let response = try await next(request, context)
        let path = request.uri.path
        let endpoint =
            Routes.isKnownAPIPath(path)
            ? (path.hasPrefix(Routes.labels + "/") ? Routes.labelValues : path)
            : (Routes.isAPI(path) ? "none" : "static")
        metrics.countRequest(endpoint: endpoint, status: response.status.code)
        return response
    }
}
