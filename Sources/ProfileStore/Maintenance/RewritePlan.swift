/// One segment rewrite: consecutive sealed segments replaced by a single new segment.
///
/// The output takes the id of the last input and is renamed over it; its header lists the other inputs as
/// superseded (see ``SegmentHeader``), so the swap is atomic for every reader.
struct RewritePlan: Sendable {
    /// What goes into the output segment.
    enum Item: Sendable {
        /// A block copied byte for byte (after checking its payload checksum).
        case copy(BlockRef)
        /// Blocks merged into one compacted block.
        case merge([BlockRef])

        /// Where the item sorts in the output: the earliest start of its blocks.
        var start: Int64 {
            switch self {
            case .copy(let ref): ref.record.header.start
            case .merge(let refs): refs.map(\.record.header.start).min() ?? 0
            }
        }
    }

    /// Consecutive sealed segments, ascending id.
    var inputs: [SegmentRecord]
    /// The output's blocks, in time order.
    var items: [Item]
    /// Blocks of the inputs that the output leaves out on purpose (expired by retention).
    var droppedBlocks: Int = 0

    /// The id of the output segment: the last input's.
    var outputID: UInt64 { inputs.last?.id ?? 0 }
}
