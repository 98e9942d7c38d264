import Foundation
import HTTPTypes
import Hummingbird

/// A failed request as the API reports it: a status and `{"error": "…"}`, plus the offending parameter and, for a
/// selector or time, the 0-based character position of the problem.
///
/// Every error a handler throws becomes one of these in ``ErrorMiddleware``, so clients never see an HTML page or
/// an empty 500.
struct APIError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var message: String
    /// The query parameter that was wrong, when one was.
    var parameter: String?
    /// 0-based character offset of the problem in ``parameter``'s value.
    var position: Int?
    /// Extra response headers (`Allow` for 405, `WWW-Authenticate` for 401).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, parameter: String? = nil, position: Int? = nil) {
        self.status = status
        self.message = message
        self.parameter = parameter
        self.position = position
    }

    /// 400 for a query parameter.
    static func badParameter(_ name: String, _ message: String, position: Int? = nil) -> APIError {
        APIError(.badRequest, message, parameter: name, position: position)
    }

    /// The JSON body.
    struct Body: Codable, Equatable {
        var error: String
        var parameter: String?
        var position: Int?
    }

    /// The response: the status, a JSON body, no caching.
    func response() -> Response {
        let body = Body(error: message, parameter: parameter, position: position)
        let data = (try? JSONEncoder.api.encode(body)) ?? Data(#"{"error":"internal error"}"#.utf8)
        var response = Response.bytes(Array(data), contentType: ContentType.json, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension JSONEncoder {
    /// Compact output with keys in a stable order, for every API response.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension Response {
    /// A complete response with `bytes` as body, `Content-Length` set and no caching (profiles change every window).
    static func bytes(
        _ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]
    ) -> Response {
        var headers: HTTPFields = [
            .contentType: contentType, .contentLength: String(bytes.count), .cacheControl: "no-store",
        ]
        headers[.xContentTypeOptions] = "nosniff"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
