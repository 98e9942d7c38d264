/// The agent's counters as `/metrics` exports them. Every value only grows over the agent's life.
///
/// The server does not know the agent's types (it must build and run without the sampler); the `scorch` executable
/// copies its counters into this shape through an ``AgentMetricsSource``.
public struct AgentMetrics: Sendable, Equatable {
    /// Samples in stored or attempted windows.
    public var samples: UInt64 = 0
    /// Samples or stacks lost, by reason (`ring-buffer-full`, `user-stack-collision`, …).
    public var losses: [String: UInt64] = [:]
    /// Samples whose user stack was cut short, by reason (`snapshot-end`, `depth-limit`, …).
    public var truncatedStacks: [String: UInt64] = [:]
    /// Frames symbolized, and those that resolved to no symbol.
    public var frames: UInt64 = 0
    public var unsymbolizedFrames: UInt64 = 0
    /// Windows stored, and their bytes.
    public var windowsWritten: UInt64 = 0
    public var storeBytesWritten: UInt64 = 0
    /// Windows that could not be stored, by error kind.
    public var writeErrors: [String: UInt64] = [:]

    public init() {}
}

/// Where `/metrics` reads the agent's counters from, on every scrape; any thread may call it.
public protocol AgentMetricsSource: Sendable {
    func currentAgentMetrics() -> AgentMetrics
}
