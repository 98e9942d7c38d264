/// The append side of a writable store; guarded by the store's writer lock (taken before the index lock, never
/// after it).
struct WriterState: Sendable {
    /// The segment appends go to; nil until the first append, after a seal, or after a failure that makes the file
    /// untrustworthy.
    var open: OpenSegment?
    /// Id of the next segment to create: one more than any id seen in the directory.
    var nextSegmentID: UInt64 = 1
}

/// The segment currently appended to.
struct OpenSegment: Sendable {
    var file: SegmentFile
    /// Bytes of committed data: the next block is written here.
    var size: Int64
    /// Blocks in the segment.
    var blockCount: Int
    /// Intact copies of each dictionary in the segment, by id; a dictionary is written again unless it has two.
    var dictionaryCopies: [UInt32: Int] = [:]
}
