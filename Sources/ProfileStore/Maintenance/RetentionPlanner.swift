/// Decides what retention deletes or rewrites. Pure: no I/O.
///
/// Rules (storage/FORMAT.md, "Retention"):
/// - Age: a block is expired when its end is at or before `cutoff` (`now - retention`). A segment whose blocks are
///   all expired (or that has none and is sealed) is deleted. A sealed segment whose expired blocks make up at least
///   a quarter of the bytes of its blocks (dictionaries not counted) is rewritten without them; smaller expired
///   parts wait, so a segment is not rewritten on every call.
/// - Size: while all segments together exceed `maxBytes`, the oldest segment is deleted; the open segment only when
///   it is the last one left.
struct RetentionPlanner {
    var cutoff: Int64
    var maxBytes: Int64

    func isExpired(_ record: BlockRecord) -> Bool {
        record.header.end <= cutoff
    }

    /// Segments (ids) whose data is all expired. The open segment qualifies only if it has blocks.
    func expiredSegments(_ segments: [SegmentRecord], openID: UInt64?) -> [UInt64] {
        segments.filter { segment in
            if segment.id == openID && segment.blocks.isEmpty { return false }
            return segment.blocks.allSatisfy(isExpired)
        }.map(\.id)
    }

    /// Rewrites of sealed segments with a large enough expired part.
    func rewrites(_ segments: [SegmentRecord], openID: UInt64?, bad: Set<BlockAddress>) -> [RewritePlan] {
        segments.compactMap { segment in
            guard segment.id != openID else { return nil }
            let expired = segment.blocks.filter(isExpired)
            guard !expired.isEmpty, expired.count < segment.blocks.count else { return nil }
            // Dictionary frames do not count: they serve the kept blocks as much as the expired ones.
            let expiredBytes = expired.reduce(0) { $0 + $1.frameLength }
            let dataBytes = segment.blocks.reduce(0) { $0 + $1.frameLength }
            guard expiredBytes * 4 >= dataBytes else { return nil }
            let kept = segment.blocks.filter { !isExpired($0) }.map { BlockRef(file: segment.file, record: $0) }
                .filter { !bad.contains($0.address) }
            return RewritePlan(inputs: [segment], items: kept.map { .copy($0) }, droppedBlocks: expired.count)
        }
    }

    /// Segments (ids, oldest first) to delete so that the rest fit in `maxBytes`.
    func oversize(_ segments: [SegmentRecord], openID: UInt64?) -> [UInt64] {
        var total = segments.reduce(0) { $0 + $1.size }
        var victims: [UInt64] = []
        let ordered = segments.filter { $0.id != openID } + segments.filter { $0.id == openID }
        for segment in ordered where total > maxBytes {
            victims.append(segment.id)
            total -= segment.size
        }
        return victims
    }
}
