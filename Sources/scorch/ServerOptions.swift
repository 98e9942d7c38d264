import ArgumentParser
import Glibc
import ScorchServer

/// `--listen`, `--auth-token` and `--web-root`, shared by `scorch agent` and `scorch serve`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address of the HTTP API and UI: HOST:PORT or [IPv6]:PORT (port 0: any free port); agent: off.")
    var listen = "127.0.0.1:7070"

    @Option(
        help: "Require 'Authorization: Bearer TOKEN' on API calls; needed beyond loopback (default: $SCORCH_AUTH_TOKEN).")
    var authToken: String?

    @Option(help: "Directory of the web UI's files (index.html, openapi.yaml).")
    var webRoot = "web-static"

    /// The server configuration, nil for `--listen off`, or a one-line error (exit code 2) when the options are
    /// unusable.
    func configuration() throws(CLIError) -> ServerConfiguration? {
        guard listen != "off" else { return nil }
        let address: ListenAddress
        switch ListenAddress.parse(listen) {
        case .success(let parsed): address = parsed
        case .failure(let error): throw CLIError(error.message, exitCode: 2)
        }
        let token = authToken ?? getenv("SCORCH_AUTH_TOKEN").map { String(cString: $0) }
        let configuration = ServerConfiguration(listen: address, webRoot: webRoot, authToken: token)
        if let problem = configuration.problem { throw CLIError(problem, exitCode: 2) }
        return configuration
    }
}
