import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ScorchServer

/// With a token, every API call needs `Authorization: Bearer <token>`; the UI's files stay public.
@Suite struct AuthTests {
    static let token = "s3cret-t0ken"

    func withTokenClient<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await withClient({ $0.authToken = Self.token }, body)
    }

    @Test(arguments: ["/api/v1/flamegraph", "/api/v1/top", "/api/v1/series", "/api/v1/labels",
        "/api/v1/labels/comm/values", "/api/v1/pprof", "/api/v1/openapi.yaml", "/metrics", "/api/v1/nothing"])
    func everyAPICallNeedsTheToken(_ path: String) async throws {
        try await withTokenClient { client in
            let missing = try await client.get(path)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="scorch""#)
            #expect(missing.error?.error.contains("Authorization: Bearer") == true)
            for wrong in ["Bearer s3cret-t0ke", "Bearer s3cret-t0ken2", "Bearer ", "Basic czNjcmV0LXQwa2Vu", Self.token] {
                let response = try await client.get(path, headers: [.authorization: wrong])
                #expect(response.status == .unauthorized, "\(wrong)")
            }
            let right = try await client.get(path, headers: [.authorization: "Bearer \(Self.token)"])
            #expect(right.status == (path.hasSuffix("nothing") ? .notFound : .ok), "\(right.text)")
            let lowercase = try await client.get(path, headers: [.authorization: "bearer \(Self.token)"])
            #expect(lowercase.status == right.status)
        }
    }

    @Test func staticFilesNeedNoToken() async throws {
        try await withTokenClient { client in
            let page = try await client.get("/")
            let script = try await client.get("/app.js")
            #expect(page.status == .ok && script.status == .ok)
        }
    }

    @Test func comparisonIsExact() {
        let token = Array("abc".utf8)
        #expect(BearerTokenMiddleware<BasicRequestContext>.constantTimeEquals(token, Array("abc".utf8)))
        for other in ["abd", "ab", "abcd", "", "ABC"] {
            #expect(!BearerTokenMiddleware<BasicRequestContext>.constantTimeEquals(token, Array(other.utf8)), "\(other)")
        }
    }
}
