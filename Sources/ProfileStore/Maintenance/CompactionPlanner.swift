/// Decides which sealed segments compaction rewrites and which blocks it merges. Pure: no I/O.
///
/// Rules (storage/FORMAT.md, "Compaction"):
/// - A window block is *due* when the bucket of its start, `floor(start / resolution) * resolution`, ends at or
///   before `cutoff` (`now - compactAfter`).
/// - A segment is *dirty* when it holds a due window; it is *small* when it is under half of `segmentBytes`.
/// - Runs of consecutive segments that are dirty or small are packed, in id order, into groups of at most
///   `segmentBytes` (a larger dirty segment forms a group alone). A group is rewritten when it holds a dirty segment
///   or more than one segment; a settled (large, compacted) segment is never rewritten by compaction.
/// - In a rewritten group, the due windows of each bucket (with equal sample types and period type) are merged
///   into one compacted block, together with any compacted block of the group already in that bucket; every other
///   block is copied unchanged. Output blocks are ordered by start.
struct CompactionPlanner {
    /// Windows whose bucket ends at or before this are merged (ns since the epoch).
    var cutoff: Int64
    /// Bucket length in ns, positive.
    var resolution: Int64
    /// Target segment size.
    var segmentBytes: Int

    /// The bucket (its start) that `start` falls in.
    func bucket(of start: Int64) -> Int64 {
        let quotient = start / resolution
        let floored = start % resolution < 0 ? quotient - 1 : quotient
        let (product, overflow) = floored.multipliedReportingOverflow(by: resolution)
        return overflow ? (floored < 0 ? .min : .max) : product
    }

    /// Whether a window block is due for compaction.
    func isDue(_ record: BlockRecord) -> Bool {
        record.header.kind == .window && bucket(of: record.header.start).addingSaturated(resolution) <= cutoff
    }

    /// Rewrites for `sealed` (ascending id); blocks in `bad` are left out.
    func plan(sealed: [SegmentRecord], bad: Set<BlockAddress>) -> [RewritePlan] {
        var plans: [RewritePlan] = []
        var group: [SegmentRecord] = []
        var groupBytes: Int64 = 0
        func flush() {
            defer {
                group = []
                groupBytes = 0
            }
            let dirty = group.contains { $0.blocks.contains(where: isDue) }
            guard dirty || group.count > 1 else { return }
            plans.append(RewritePlan(inputs: group, items: items(for: group, bad: bad)))
        }
        for segment in sealed {
            let dirty = segment.blocks.contains(where: isDue)
            let small = segment.size < Int64(segmentBytes / 2)
            guard dirty || small else {
                flush()
                continue
            }
            if !group.isEmpty && groupBytes + segment.size > Int64(segmentBytes) { flush() }
            group.append(segment)
            groupBytes += segment.size
        }
        flush()
        return plans
    }

    private struct BucketKey: Hashable {
        var bucket: Int64
        var meta: String
    }

    private func items(for group: [SegmentRecord], bad: Set<BlockAddress>) -> [RewritePlan.Item] {
        let refs = group.flatMap { segment in
            segment.blocks.map { BlockRef(file: segment.file, record: $0) }
        }.filter { !bad.contains($0.address) }
        func key(_ ref: BlockRef) -> BucketKey {
            let meta = ref.record.meta
            let types = meta.sampleTypes.map(\.description).joined(separator: ",")
            return BucketKey(
                bucket: bucket(of: ref.record.header.start), meta: types + "|" + (meta.periodType?.description ?? ""))
        }
        var buckets: [BucketKey: [BlockRef]] = [:]
        for ref in refs where isDue(ref.record) { buckets[key(ref), default: []].append(ref) }
        var items: [RewritePlan.Item] = []
        var merging: [BucketKey: [BlockRef]] = [:]
        var bucketOrder: [BucketKey] = []
        for ref in refs {
            let k = key(ref)
            if isDue(ref.record) || (ref.record.header.kind == .compacted && buckets[k] != nil) {
                if merging[k] == nil { bucketOrder.append(k) }
                merging[k, default: []].append(ref)
            } else {
                items.append(.copy(ref))
            }
        }
        items += bucketOrder.map { .merge((merging[$0] ?? []).sorted(by: ProfileStore.timeOrder)) }
        // Stable: equal starts keep the order above, so the output is deterministic.
        return items.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(
            \.element)
    }
}
