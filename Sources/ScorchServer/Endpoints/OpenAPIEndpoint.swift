import Hummingbird

extension ScorchAPI {
    /// `GET /api/v1/openapi.yaml`: the API description, `openapi.yaml` in the web root.
    func openAPI(_ request: Request) throws -> Response {
        _ = try QueryParameters(query: request.uri.query, known: [])
        switch webRoot.lookup("/openapi.yaml") {
        case .file(let file):
            return .bytes(file.bytes, contentType: ContentType.yaml)
        case .notFound(let message), .refused(let message):
            throw APIError(.notFound, "the OpenAPI description is served from the web root: \(message)")
        }
    }
}
