import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ProfileStore

/// The Scorch HTTP server: the JSON API over a ``ProfileStore``, `/metrics`, and the UI's static files.
///
/// Build one with ``init(store:configuration:agentMetrics:logger:)`` and run it with ``run(onListening:)``, or hand
/// ``makeRouter()`` to Hummingbird's test client. The server only reads the store, so `scorch serve` opens it
/// read-only (no root, no writer lock) while the agent shares its writable instance.
///
/// Middleware order, outermost first: JSON errors, request counting, body and method limits, the bearer token
/// (API only), static files (non-API GET/HEAD), then the routes.
public struct ScorchServer: Sendable {
    public let configuration: ServerConfiguration
    let api: ScorchAPI
    let logger: Logger

    /// - Parameters:
    ///   - agentMetrics: the agent's counters for `/metrics`; nil for `scorch serve`.
    ///   - logger: for requests that fail with a server error; the caller decides the level.
    public init(
        store: ProfileStore, configuration: ServerConfiguration, agentMetrics: (any AgentMetricsSource)? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        self.logger = logger
        api = ScorchAPI(
            store: store,
            runner: QueryRunner(
                concurrency: configuration.maxConcurrentQueries, maxQueued: configuration.maxQueuedQueries,
                timeLimit: configuration.queryTimeLimit),
            metrics: MetricsExporter(store: store, agent: agentMetrics),
            webRoot: WebRoot(path: configuration.webRoot, maxFileBytes: configuration.maxStaticFileBytes))
    }

    /// Whether the web root exists (when not, `/` explains where the UI was expected).
    public var hasWebRoot: Bool { api.webRoot.realPath != nil }

    /// The router with every middleware and route.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: RequestCountMiddleware(metrics: api.metrics))
        router.add(middleware: RequestLimitMiddleware(maxBodyBytes: configuration.maxBodyBytes))
        if let token = configuration.authToken {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        router.add(middleware: StaticFileMiddleware(root: api.webRoot))
        api.register(on: router)
        return router
    }

    /// The Hummingbird application; `onListening` is called with the bound address once the socket listens.
    public func makeApplication(onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let (seconds, _) = configuration.idleTimeout.components
        let listen = configuration.listen
        return Application(
            router: makeRouter(),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(max(1, seconds)))),
            configuration: ApplicationConfiguration(
                address: .hostname(listen.host, port: listen.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                await onListening(ListenAddress(host: listen.host, port: port))
            },
            logger: logger)
    }

    /// Listens and serves until the task is cancelled; `onListening` is called once the socket is bound.
    ///
    /// - Throws: when the address cannot be bound (in use, not an address of this host, no permission).
    public func run(onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }) async throws {
        try await makeApplication(onListening: onListening).run()
    }
}
