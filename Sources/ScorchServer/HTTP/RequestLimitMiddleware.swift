import Hummingbird

/// Bounds what a request may send and which methods it may use: a body over `maxBodyBytes` gets 413 before any
/// handler runs (the API reads no body; the limit also covers a chunked body that declares no length), and a known
/// API path asked with another method than GET gets 405 with `Allow: GET`.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let length = request.headers[.contentLength], let bytes = Int(length), bytes > maxBodyBytes {
            throw Self.tooLarge(maxBodyBytes)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBodyBytes)
        } catch {
            throw Self.tooLarge(maxBodyBytes)
        }
        if request.method != .get, Routes.isKnownAPIPath(request.uri.path) {
            var error = APIError(
                .methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); use GET")
            error.headers[.allow] = "GET"
            throw error
        }
        return try await next(request, context)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "the request body is larger than \(limit) bytes; the API takes no request body")
    }
}
