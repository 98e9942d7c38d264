/// Everything a store knows about its segments and what happened to them; guarded by the store's index lock.
///
/// Invariant: ``segments`` are sorted by id, none superseded by another; ``openSegmentID``, when set, is the id of
/// the last one, the only one appends write to.
struct IndexState: Sendable {
    var segments: [SegmentRecord] = []
    /// The segment appends go to (writer only).
    var openSegmentID: UInt64?
    /// Blocks found damaged when read; queries skip them without reading again.
    var badBlocks: Set<BlockAddress> = []
    /// Segment files with a damaged header already reported (read-only stores rescan the directory often).
    var reportedCorruptSegments: Set<FileIdentity> = []
    /// Event counters; the size fields are filled in when statistics are requested.
    var statistics = StoreStatistics()

    /// References to all readable blocks, in segment and file order.
    func allBlocks() -> [BlockRef] {
        var refs: [BlockRef] = []
        for segment in segments {
            for block in segment.blocks {
                let ref = BlockRef(file: segment.file, record: block)
                if !badBlocks.contains(ref.address) { refs.append(ref) }
            }
        }
        return refs
    }

    /// The current statistics, with sizes computed from ``segments``.
    func currentStatistics() -> StoreStatistics {
        var result = statistics
        result.segments = segments.count
        result.blocks = allBlocks().count
        result.bytesOnDisk = segments.reduce(0) { $0 + $1.size }
        return result
    }

    /// Position of the segment with `id`, if the index has it.
    func position(of id: UInt64) -> Int? {
        segments.firstIndex { $0.id == id }
    }
}
