import Hummingbird
import Logging

/// The outermost middleware: turns every error into a JSON error response (``APIError/response()``).
///
/// Errors of the API (``APIError``) keep their status; Hummingbird's own (`HTTPError`: 404 for an unknown path,
/// 413 for a body over the limit) keep theirs with a message saying what was wrong; anything else is a bug or a
/// failed store read and becomes 500 with its description, logged as an error.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as HTTPError {
            return APIError(error.status, error.body ?? Self.message(for: error.status, request: request)).response()
        } catch let error as any HTTPResponseError {
            return APIError(error.status, Self.message(for: error.status, request: request)).response()
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIError(.internalServerError, "internal error: \(error)").response()
        }
    }

    /// A message for a status Hummingbird produced without one.
    static func message(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: return "no such endpoint: \(request.uri.path); the API is described at /api/v1/openapi.yaml"
        case .contentTooLarge: return "the request body is too large; the API takes no request body"
        default: return status.reasonPhrase
        }
    }
}
