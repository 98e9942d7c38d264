import Hummingbird

/// Requires `Authorization: Bearer <token>` on every API call (`/api/…` and `/metrics`) when a token is set; the
/// UI's static files stay public, since a browser cannot attach the header to a page load.
///
/// The comparison takes the same time whatever the given token is (up to its length), so response times do not
/// reveal how much of a guess was right.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard Routes.isAPI(request.uri.path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw Self.unauthorized("this server requires a token: send the header 'Authorization: Bearer <token>'")
        }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else {
            throw Self.unauthorized("the Authorization header must be 'Bearer <token>'")
        }
        let given = Array(header.utf8.dropFirst(scheme.utf8.count))
        guard Self.constantTimeEquals(given, token) else { throw Self.unauthorized("the token is not valid") }
        return try await next(request, context)
    }

    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, message)
        error.headers[.wwwAuthenticate] = #"Bearer realm="scorch""#
        return error
    }

    /// Whether `a == b`, looking at every byte of the longer one whatever the contents.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt(bitPattern: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= UInt(x ^ y)
        }
        return difference == 0
    }
}
