import Foundation
import Testing

/// The OpenAPI description (web-static/openapi.yaml) checked against a running `scorch serve` by schemathesis,
/// with every check: responses conform to the schemas (bodies, status codes, content types, headers), no request
/// gets a 5xx, schema-invalid requests are rejected, undeclared methods get 405 with `Allow`, and the bearer token
/// is enforced.
///
/// One allowance: `positive_data_acceptance` also accepts 400. Requests that the schema allows can still be wrong
/// in ways a JSON Schema cannot state: `from` after `to`, a selector or a time that does not follow its grammar
/// (the grammars are in the description; the error tests cover them). Every other 4xx for schema-valid data still
/// fails the run.
@Suite struct SchemathesisTests {
    static let configuration = """
        [checks.positive_data_acceptance]
        expected-statuses = ["2xx", "400"]
        """

    @Test func openAPIDescriptionMatchesTheRunningServer() async throws {
        let schemathesis = try venvTool("schemathesis")
        let token = "schemathesis-token"
        let (server, base) = try ServeCommandTests.serve(["--auth-token", token])
        defer { server.stop(SIGKILL) }
        let work = try makeTemporaryDirectory("scorch-schemathesis")
        defer { try? FileManager.default.removeItem(at: work) }
        let config = work.appendingPathComponent("schemathesis.toml")
        try Data(Self.configuration.utf8).write(to: config)
        let spec = repositoryRoot.appendingPathComponent("web-static/openapi.yaml").path
        let result = try run(
            schemathesis,
            [
                "--no-color", "--config-file", config.path, "run", spec, "--url", base.absoluteString,
                "-H", "Authorization: Bearer \(token)", "--checks", "all", "--max-examples", "25", "--seed", "20261125",
                "--report-dir", work.appendingPathComponent("report").path,
            ],
            in: work)  // schemathesis keeps a cache (.schemathesis/) in its working directory
        let summary = result.stdout.split(separator: "\n").suffix(30).joined(separator: "\n")
        #expect(result.status == 0, "schemathesis found problems:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("No issues found"), "\(summary)")
        #expect(result.stdout.contains("Tested: 8"), "every operation was tested: \(summary)")
        #expect(server.stop(SIGTERM) == 0, "\(server.output)")
    }
}
