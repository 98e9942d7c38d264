import ProfileModel

/// What the index knows about one stored block, without decoding it: for series endpoints and block filters.
public struct StoredWindowInfo: Sendable, Hashable {
    /// Start of the covered time, inclusive (ns since the Unix epoch).
    public var start: Int64
    /// End of the covered time, exclusive (ns since the Unix epoch).
    public var end: Int64
    /// A window as appended, or a compacted block.
    public var kind: BlockKind
    /// Windows merged into this block (1 for a window).
    public var windowCount: Int
    /// The value columns of the block's profile.
    public var sampleTypes: [ValueType]
    /// Sum of each value column over all samples.
    public var totals: [Int64]
    /// Distinct (stack, label set) rows in the block's profile.
    public var sampleRows: Int
    /// Label values that occur in the block.
    public var labels: LabelSummary
    /// The segment file that holds the block (its number).
    public var segmentID: UInt64
    /// Byte offset of the block frame in its segment.
    public var offset: Int64
    /// Bytes of the frame on disk (header, metadata, compressed payload).
    public var storedBytes: Int
    /// Bytes of the payload before compression.
    public var rawBytes: Int
}
