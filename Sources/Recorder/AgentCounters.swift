import Sampler

/// Everything the agent can lose or fail at, accumulated over its life, in one place (for the log and, later,
/// `/metrics`). Values only grow.
public struct AgentCounters: Sendable, Hashable {
    /// Samples in stored or attempted windows.
    public var samples: UInt64 = 0
    /// Losses by reason, as `SamplerCounters.losses` names them: samples lost entirely (`counts-map-full`,
    /// `ring-buffer-full`) and stacks lost while the sample was kept (`user-stack-collision`, …).
    public var losses: [String: UInt64] = [:]
    /// Samples whose user stack was cut short, by reason (`snapshot-end`, `depth-limit`, …).
    public var truncatedStacks: [String: UInt64] = [:]
    /// Frames that resolved to no symbol, of all frames.
    public var unsymbolizedFrames: UInt64 = 0
    public var frames: UInt64 = 0
    public var windowsWritten: UInt64 = 0
    public var storeBytesWritten: UInt64 = 0
    /// Windows that could not be stored, by error kind.
    public var writeErrors: [String: UInt64] = [:]

    public init() {}

    /// Adds one window's summary.
    public mutating func add(_ summary: RecordingSummary) {
        samples += summary.samples
        for (reason, count) in summary.counters.losses { losses[reason, default: 0] += count }
        for (reason, count) in summary.truncatedSamples { truncatedStacks[reason, default: 0] += count }
        unsymbolizedFrames += summary.unsymbolizedFrames
        frames += summary.frames
    }
}
