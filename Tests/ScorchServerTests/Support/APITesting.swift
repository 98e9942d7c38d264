import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ProfileModel
import ProfileStore
import Testing

@testable import ScorchServer

/// A web root of files this target controls (the repository's web-static belongs to the UI), with the repository's
/// openapi.yaml, a subdirectory, a link inside and a link to a secret outside the root.
struct TestWebRoot: Sendable {
    let path: String
    /// A file next to the root that must never be served.
    let secret: String
    static let secretText = "not for the web\n"

    static let shared: Result<TestWebRoot, any Error> = Result { try TestWebRoot() }
    static func get() throws -> TestWebRoot { try shared.get() }

    static let files: [(name: String, text: String)] = [
        ("index.html", "<!doctype html><title>Scorch</title><script type=module src=app.js></script>\n"),
        ("app.js", "export const answer = 42;\n"),
        ("style.css", "body { margin: 0 }\n"),
        ("icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
        ("data.json", "{\"ok\": true}\n"),
        ("docs/index.html", "<!doctype html><title>Docs</title>\n"),
        ("docs/notes.txt", "notes\n"),
    ]

    private init() throws {
        let base = try makeTemporaryDirectory("scorch-web")
        let root = base.appendingPathComponent("web-static")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        for file in Self.files {
            try Data(file.text.utf8).write(to: root.appendingPathComponent(file.name))
        }
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("web-static/openapi.yaml"),
            to: root.appendingPathComponent("openapi.yaml"))
        secret = base.appendingPathComponent("secret.txt").path
        try Data(Self.secretText.utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("leak.txt").path, withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("outside").path, withDestinationPath: base.path)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("alias.js").path, withDestinationPath: "app.js")
        path = root.path
    }
}

/// A server on the recorded store, opened read-only as `scorch serve` opens it, with the test web root.
func makeServer(
    _ configure: (inout ServerConfiguration) -> Void = { _ in }, agent: (any AgentMetricsSource)? = nil
) throws -> ScorchServer {
    let fixture = try RecordedStore.get()
    var configuration = ServerConfiguration(webRoot: try TestWebRoot.get().path)
    configure(&configuration)
    return ScorchServer(
        store: try fixture.openReadOnly(), configuration: configuration, agentMetrics: agent,
        logger: Logger(label: "scorch-server-test"))
}

/// Runs `body` with Hummingbird's router test client on ``makeServer(_:agent:)``.
func withClient<T: Sendable>(
    _ configure: (inout ServerConfiguration) -> Void = { _ in }, agent: (any AgentMetricsSource)? = nil,
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let server = try makeServer(configure, agent: agent)
    return try await Application(router: server.makeRouter()).test(.router, body)
}

extension TestClientProtocol {
    /// GET `uri`; the response with its body as bytes.
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers) { $0 }
    }
}

extension TestResponse {
    var bytes: [UInt8] { Array(body.readableBytesView) }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The body decoded as `T` (failing the test with the body when it is not).
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw TestFailure("not a \(T.self): \(error): \(text)")
        }
    }

    /// The JSON error body.
    var error: APIError.Body? { try? decode(APIError.Body.self) }
}

/// `path?name=value&…` with the values percent-encoded as a browser's `encodeURIComponent` does.
func uri(_ path: String, _ parameters: KeyValuePairs<String, String> = [:]) -> String {
    guard !parameters.isEmpty else { return path }
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.!~*'()")
    let query = parameters.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
    return path + "?" + query.joined(separator: "&")
}

extension FlameGraph {
    /// The graph with siblings in one total order. `FlameGraph` orders children by total, then name; siblings with
    /// the same name and total (the same function in two binaries or files) come in the order of a dictionary,
    /// which differs between two builds of the same tree, so comparisons go through this.
    var canonical: FlameGraph {
        var copy = self
        copy.root = Self.canonical(root)
        return copy
    }

    private static func canonical(_ node: Node) -> Node {
        var node = node
        node.children = node.children.map(canonical).sorted { a, b in
            let x = (-a.total, a.name, a.file ?? "", a.mapping ?? "", a.line ?? 0, a.inlined == true ? 1 : 0)
            let y = (-b.total, b.name, b.file ?? "", b.mapping ?? "", b.line ?? 0, b.inlined == true ? 1 : 0)
            if x.0 != y.0 { return x.0 < y.0 }
            if x.1 != y.1 { return x.1 < y.1 }
            if x.2 != y.2 { return x.2 < y.2 }
            if x.3 != y.3 { return x.3 < y.3 }
            if x.4 != y.4 { return x.4 < y.4 }
            return x.5 < y.5
        }
        return node
    }
}
