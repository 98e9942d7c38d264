/// How a Scorch HTTP server listens, authenticates and limits requests.
///
/// The defaults suit the agent on a host: loopback only, no token, the UI from `web-static/` next to the working
/// directory.
public struct ServerConfiguration: Sendable {
    /// Where to listen.
    public var listen: ListenAddress
    /// The directory the UI's files are served from (`/` is its `index.html`); nothing outside it is ever served.
    /// When it does not exist, the API still works and `/` says where the UI was expected.
    public var webRoot: String
    /// When set, every API call (`/api/…` and `/metrics`) must carry `Authorization: Bearer <token>`. Required for
    /// a non-loopback ``listen`` address (see ``validate()``).
    public var authToken: String?
    /// Most bytes of a request body (the API takes none; larger bodies get 413).
    public var maxBodyBytes: Int = 16 << 10
    /// How long a query endpoint may take before it answers 503; the query itself runs to completion in the
    /// background, bounded by ``maxConcurrentQueries``.
    public var queryTimeLimit: Duration = .seconds(30)
    /// Queries run at once; more wait in line (their wait counts against ``queryTimeLimit``).
    public var maxConcurrentQueries: Int = 2
    /// Queries running or waiting; beyond this a query endpoint answers 503 at once.
    public var maxQueuedQueries: Int = 16
    /// Connections idle this long are closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Connections open at once; beyond this, new ones wait in the listen backlog.
    public var maxConnections: Int = 128
    /// Most bytes of a static file.
    public var maxStaticFileBytes: Int = 32 << 20

    public init(listen: ListenAddress = .defaultAgent, webRoot: String = "web-static", authToken: String? = nil) {
        self.listen = listen
        self.webRoot = webRoot
        self.authToken = authToken
    }

    /// Why the configuration cannot be used, as one line for a person; nil when it can.
    ///
    /// A server reachable from other hosts must not expose profiles (function names, command lines, paths) to
    /// anyone who can connect, so binding anything but loopback requires a token; an empty token is refused.
    public var problem: String? {
        if let authToken, authToken.isEmpty {
            return "the auth token is empty; set a non-empty --auth-token or SCORCH_AUTH_TOKEN"
        }
        if let authToken, authToken.utf8.count > 4096 {
            return "the auth token is longer than 4096 bytes"
        }
        if !listen.isLoopback && authToken == nil {
            return "--listen \(listen) is not a loopback address: anyone who can reach it could read every profile; "
                + "set --auth-token or SCORCH_AUTH_TOKEN, or listen on 127.0.0.1"
        }
        return nil
    }
}
