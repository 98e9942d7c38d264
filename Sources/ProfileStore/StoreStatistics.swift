/// Counters for the agent's metrics: what the store holds and what happened since it was opened.
///
/// ``segments``, ``blocks`` and ``bytesOnDisk`` describe the store now; the other counters start at zero when the
/// `ProfileStore` is created and count events in this process only.
public struct StoreStatistics: Sendable, Equatable {
    /// Segment files the index knows (the open one included).
    public var segments = 0
    /// Readable blocks (windows and compacted blocks) in the index.
    public var blocks = 0
    /// Bytes of all segment files.
    public var bytesOnDisk: Int64 = 0
    /// Windows stored by ``ProfileStore/append(_:start:end:)``.
    public var windowsAppended = 0
    /// Bytes written by appends (block frames and new segment headers).
    public var bytesAppended: Int64 = 0
    /// Failed appends and maintenance runs, by kind (`diskFull`, `readOnlyFileSystem`, ...).
    public var writeErrors: [StoreError.Code: Int] = [:]
    /// Blocks skipped because a checksum or their decoding failed.
    public var corruptBlocksSkipped = 0
    /// Segment files ignored because their header is damaged.
    public var corruptSegmentsSkipped = 0
    /// Torn tails (an incomplete last block after a crash) cut off the last segment at open.
    public var tornTailsTruncated = 0
    /// Bytes removed by those truncations.
    public var tornBytesTruncated: Int64 = 0
    /// Compaction runs that rewrote at least one segment.
    public var compactions = 0
    /// Window blocks merged into compacted blocks.
    public var windowsCompacted = 0
    /// Segments replaced by compaction or retention rewrites.
    public var segmentsRewritten = 0
    /// Segment files deleted by retention.
    public var retentionSegmentsDeleted = 0
    /// Blocks removed by retention (in deleted or rewritten segments).
    public var retentionBlocksDropped = 0
    /// Blocks a query left out because their sample types differ from the newest matching block's.
    public var incompatibleBlocksSkipped = 0

    public init() {}

    /// All write errors, whatever their kind.
    public var totalWriteErrors: Int { writeErrors.values.reduce(0, +) }
}
