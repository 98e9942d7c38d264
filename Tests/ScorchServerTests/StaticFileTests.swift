import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ScorchServer

/// The UI's files come only from the web root, with the right types; nothing outside it is reachable.
@Suite struct StaticFileTests {
    @Test func rootIsIndexHTML() async throws {
        let response = try await withClient { client in try await client.get("/") }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        #expect(response.text == TestWebRoot.files[0].text)
        #expect(response.headers[.xContentTypeOptions] == "nosniff")
    }

    @Test(arguments: [
        ("/app.js", "text/javascript; charset=utf-8"), ("/style.css", "text/css; charset=utf-8"),
        ("/icon.svg", "image/svg+xml"), ("/data.json", "application/json"), ("/openapi.yaml", "application/yaml"),
        ("/docs/", "text/html; charset=utf-8"), ("/docs", "text/html; charset=utf-8"),
        ("/docs/notes.txt", "text/plain; charset=utf-8"), ("/alias.js", "text/javascript; charset=utf-8"),
        ("/./app.js", "text/javascript; charset=utf-8"), ("/%61pp.js", "text/javascript; charset=utf-8"),
    ])
    func filesHaveTheirContentType(_ path: String, _ type: String) async throws {
        let response = try await withClient { client in try await client.get(path) }
        #expect(response.status == .ok, "\(path): \(response.text)")
        #expect(response.headers[.contentType] == type)
        #expect(response.headers[.contentLength] == String(response.bytes.count))
    }

    @Test func headSendsTheHeadersWithoutTheBody() async throws {
        let response = try await withClient { client in
            try await client.execute(uri: "/app.js", method: .head) { $0 }
        }
        #expect(response.status == .ok && response.bytes.isEmpty)
        #expect(response.headers[.contentLength] == String(TestWebRoot.files[1].text.utf8.count))
    }

    /// Traversal attempts, raw and encoded, absolute paths, and links that point out of the root.
    @Test(arguments: [
        "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/docs/../../secret.txt",
        "/docs/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt", "/..", "/%2e%2e", "/..%5csecret.txt",
        "/leak.txt", "/outside/secret.txt", "/outside/", "//etc/passwd", "/etc/passwd", "/%2Fetc%2Fpasswd",
        "/app.js%00.html", "/nothing.html", "/%ZZ",
    ])
    func nothingOutsideTheRootIsServed(_ path: String) async throws {
        let response = try await withClient { client in try await client.get(path) }
        #expect(response.status == .notFound || response.status == .badRequest, "\(path): \(response.status)")
        #expect(!response.text.contains(TestWebRoot.secretText.trimmingCharacters(in: .newlines)))
        #expect(!response.text.contains("root:x:0:0"))
        #expect(response.error != nil, "a JSON error: \(response.text)")
    }

    @Test func missingWebRootSaysWhereTheUIWasExpectedAndTheAPIStillWorks() async throws {
        try await withClient({ $0.webRoot = "/nonexistent/scorch-web" }) { client in
            let page = try await client.get("/")
            #expect(page.status == .notFound)
            let message = try #require(page.error?.error)
            #expect(message.contains("/nonexistent/scorch-web") && message.contains("--web-root"), "\(message)")
            #expect((try await client.get("/api/v1/labels")).status == .ok)
            let spec = try await client.get("/api/v1/openapi.yaml")
            #expect(spec.status == .notFound && spec.error?.error.contains("web root") == true)
        }
    }

    @Test func openAPIIsServedUnderTheAPI() async throws {
        let response = try await withClient { client in try await client.get("/api/v1/openapi.yaml") }
        #expect(response.status == .ok && response.headers[.contentType] == "application/yaml")
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("web-static/openapi.yaml"), encoding: .utf8)
        #expect(response.text == file)
    }
}
