import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `scorch serve` as people run it: the real binary on a real socket.
@Suite struct ServeCommandTests {
    /// Starts `scorch serve` on the recorded store on a free port; returns it and its base URL.
    static func serve(_ extra: [String] = [], environment: [String: String]? = nil) throws
        -> (BackgroundCommand, URL)
    {
        let fixture = try RecordedStore.get()
        let log = try makeTemporaryDirectory("scorch-serve-log").appendingPathComponent("serve.log")
        let command = try BackgroundCommand(
            ["serve", "--store", fixture.directory, "--web-root", try TestWebRoot.get().path]
                + (extra.contains("--listen") ? [] : ["--listen", "127.0.0.1:0"]) + extra,
            log: log, environment: environment)
        let port = try command.waitForLine(/serving http:\/\/[^ ]*:(\d+)\//)
        return (command, URL(string: "http://127.0.0.1:\(port)")!)
    }

    /// GET over a real connection: status, headers and body.
    static func get(_ url: URL, token: String? = nil) async throws -> (Int, [AnyHashable: Any], Data) {
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.allHeaderFields, data)
    }

    @Test func servesTheAPIAndTheUIAndStopsOnSIGTERM() async throws {
        let (server, base) = try Self.serve()
        defer { server.stop(SIGKILL) }
        #expect(server.output.contains("UI from "), "\(server.output)")
        let (status, _, body) = try await Self.get(base.appendingPathComponent("api/v1/labels/comm/values"))
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self).contains(RecordedStore.workload))
        let (pageStatus, _, page) = try await Self.get(base)
        #expect(pageStatus == 200 && String(decoding: page, as: UTF8.self).contains("<title>Scorch</title>"))
        #expect(server.stop(SIGTERM) == 0, "\(server.output)")
    }

    @Test func aTokenFromTheEnvironmentAllowsEveryAddress() async throws {
        let (server, base) = try Self.serve(
            ["--listen", "0.0.0.0:0"], environment: ["SCORCH_AUTH_TOKEN": "from-env"])
        defer { server.stop(SIGKILL) }
        #expect(server.output.contains("API calls need the bearer token"))
        let url = base.appendingPathComponent("api/v1/labels")
        #expect(try await Self.get(url).0 == 401)
        #expect(try await Self.get(url, token: "from-env").0 == 200)
        #expect(server.stop(SIGINT) == 0)
    }

    @Test(arguments: [["serve"], ["agent"]])
    func nonLoopbackWithoutATokenIsRefusedInOneLine(_ command: [String]) throws {
        let fixture = try RecordedStore.get()
        var environment = ProcessInfo.processInfo.environment
        environment["SCORCH_AUTH_TOKEN"] = nil
        let result = try run(
            scorchPath, command + ["--store", fixture.directory, "--listen", "0.0.0.0:7070"], environment: environment)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("scorch: --listen 0.0.0.0:7070 is not a loopback address") == true)
        #expect(result.stderr.contains("--auth-token or SCORCH_AUTH_TOKEN"))
    }

    @Test func aPortInUseIsOneLine() throws {
        let (first, base) = try Self.serve()
        defer { first.stop(SIGKILL) }
        let fixture = try RecordedStore.get()
        let port = base.port ?? 0
        let result = try run(scorchPath, ["serve", "--store", fixture.directory, "--listen", "127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.stderr == "scorch: cannot listen on 127.0.0.1:\(port): Address already in use (is another scorch listening there?)\n")
    }

    @Test(arguments: [
        (["--store", "/nonexistent/store"], "no such directory"), (["--listen", "localhost"], "bad --listen"),
        (["--listen", "127.0.0.1:7070", "--auth-token", ""], "auth token is empty"),
        (["--listen", "off"], "needs an address"),
    ])
    func badOptionsAreOneLine(_ options: [String], _ says: String) throws {
        let fixture = try RecordedStore.get()
        let result = try run(scorchPath, ["serve", "--store", fixture.directory] + options)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("scorch: ") && result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(says), "\(result.stderr)")
    }
}
