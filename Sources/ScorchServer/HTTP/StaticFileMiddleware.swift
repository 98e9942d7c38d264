import Hummingbird

/// Serves GET and HEAD requests outside the API from the ``WebRoot``; everything else goes on to the router.
///
/// A missing file is a JSON 404 like the API's, so a person who opens `/` on a server without the UI reads where the
/// UI was expected.
struct StaticFileMiddleware<Context: RequestContext>: RouterMiddleware {
    let root: WebRoot

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        guard !Routes.isAPI(path), request.method == .get || request.method == .head else {
            return try await next(request, context)
        }
        switch root.lookup(path) {
        case .file(let file):
            var response = Response.bytes(file.bytes, contentType: file.contentType)
            // The UI changes with the binary; revalidating each load is cheap on loopback.
            response.headers[.cacheControl] = "no-cache"
            // HEAD: the headers of the GET, Content-Length included, without the body.
            if request.method == .head { response.body = ResponseBody(contentLength: file.bytes.count) { _ in } }
            return response
        case .notFound(let message):
            throw APIError(.notFound, message)
        case .refused(let message):
            throw APIError(.badRequest, message)
        }
    }
}
