import ArgumentParser
import Logging
import ProfileStore
import Sampler
import ScorchServer

/// `scorch serve`: the HTTP API and UI over a store, read-only, without root.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and the web UI for a store, read-only (no root needed).",
        discussion: """
            Opens the store without locking it, so it works beside a running agent (which serves the same API \
            itself). The API is described at /api/v1/openapi.yaml; /metrics has the store's counters. SIGINT or \
            SIGTERM stops the server.

              scorch serve --store /var/lib/scorch --listen 127.0.0.1:7070
            """
    )

    @Option(help: "Store directory.")
    var store = "/var/lib/scorch"

    @OptionGroup var server: ServerOptions

    @Flag(name: .shortAndLong, help: "Log failed requests and server details to stderr.")
    var verbose = false

    func run() throws {
        try reportingErrors {
            guard let configuration = try server.configuration() else {
                throw CLIError("scorch serve needs an address to listen on; --listen off is for scorch agent", exitCode: 2)
            }
            let logger = makeLogger(verbose: verbose)
            var options = StoreOptions()
            options.readOnly = true
            let profiles: ProfileStore
            do {
                profiles = try ProfileStore(directory: store, options: options, logger: logger)
            } catch {
                throw CLIError("\(error)")
            }
            StopSignal.install()
            let scorchServer = ScorchServer(store: profiles, configuration: configuration, logger: logger)
            let running = try BackgroundServer(scorchServer)
            writeStandardError(Self.listeningLine(running.address, server: scorchServer, store: store))
            while !StopSignal.isRequested { sleepUninterrupted(.milliseconds(100)) }
            running.stop()
        }
    }

    /// `scorch: serving http://127.0.0.1:7070/ (store …, UI from …)`: the line tests and people read the port from.
    static func listeningLine(_ address: ListenAddress, server: ScorchServer, store: String) -> String {
        let ui =
            server.hasWebRoot
            ? "UI from \(server.configuration.webRoot)"
            : "no UI: \(server.configuration.webRoot) does not exist (set --web-root)"
        let token = server.configuration.authToken == nil ? "" : ", API calls need the bearer token"
        return "scorch: serving http://\(address)/ (store \(store), \(ui)\(token))\n"
    }
}
