/// Decides which sealed segments compaction rewrites and which blocks it merges. Pure: no I/O.
///
/// Rules (storage/FORMAT.md, "Compaction"), with tiers `(cutoff, resolution)` from fine to coarse (by default
/// windows become 5-minute blocks after an hour, and those become 1-hour blocks after 6 hours):
/// - The bucket of a block at a resolution is `[floor(start / resolution) · resolution, + resolution)`.
/// - A block is *due* at a tier when its bucket there ends at or before the tier's `cutoff` (`now - after`) and the
///   block is finer than the tier: a window at any tier; a compacted block at a later tier when it spans at most the
///   resolution of the tier before (it was made by that tier). A due block goes to its coarsest due tier.
/// - A segment is *dirty* when it holds a due block; it is *small* when it is under half of `segmentBytes`.
/// - Runs of consecutive segments that are dirty or small are packed, in id order, into groups of at most
///   `segmentBytes` (a larger dirty segment forms a group alone). A group is rewritten when it holds a dirty segment
///   or more than one segment; a settled segment (large, nothing due) is never rewritten by compaction.
/// - In a rewritten group, the due blocks of each bucket (with equal sample types and period type) are merged into
///   one compacted block, together with any other compacted block of the group in that bucket; a bucket of a single
///   compacted block and nothing else is copied as it is. Every other block is copied unchanged. Output blocks are
///   ordered by start.
struct CompactionPlanner {
    /// One step of coarsening.
    struct Tier {
        /// Blocks whose bucket ends at or before this are merged (ns since the epoch).
        var cutoff: Int64
        /// Bucket length in ns, positive.
        var resolution: Int64
    }

    /// Finest first; resolutions increase, cutoffs do not.
    var tiers: [Tier]
    /// Target segment size.
    var segmentBytes: Int

    init(tiers: [Tier], segmentBytes: Int) {
        self.tiers = tiers
        self.segmentBytes = segmentBytes
    }

    /// The bucket (its start) that `start` falls in at `resolution`.
    static func bucket(of start: Int64, resolution: Int64) -> Int64 {
        let quotient = start / resolution
        let floored = start % resolution < 0 ? quotient - 1 : quotient
        let (product, overflow) = floored.multipliedReportingOverflow(by: resolution)
        return overflow ? (floored < 0 ? .min : .max) : product
    }

    /// The coarsest tier (its index) at which a block is due, if any.
    func dueTier(_ record: BlockRecord) -> Int? {
        let header = record.header
        for index in tiers.indices.reversed() {
            let tier = tiers[index]
            let finer =
                header.kind == .window
                || (index > 0 && header.end.addingSaturated(-header.start) <= tiers[index - 1].resolution)
            guard finer else { continue }
            let bucket = Self.bucket(of: header.start, resolution: tier.resolution)
            if bucket.addingSaturated(tier.resolution) <= tier.cutoff { return index }
        }
        return nil
    }

    /// Whether a block is due for compaction.
    func isDue(_ record: BlockRecord) -> Bool { dueTier(record) != nil }

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
            let items = items(for: group, bad: bad)
            // A segment whose due blocks are each alone in their bucket would come out as it is.
            let merges = items.contains { if case .merge = $0 { true } else { false } }
            guard merges || group.count > 1 else { return }
            plans.append(RewritePlan(inputs: group, items: items))
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
        var tier: Int
        var bucket: Int64
        var meta: String
    }

    private func items(for group: [SegmentRecord], bad: Set<BlockAddress>) -> [RewritePlan.Item] {
        let refs = group.flatMap { segment in
            segment.blocks.map { BlockRef(file: segment.file, record: $0) }
        }.filter { !bad.contains($0.address) }
        func key(_ ref: BlockRef, tier: Int) -> BucketKey {
            let meta = ref.record.meta
            let types = meta.sampleTypes.map(\.description).joined(separator: ",")
            return BucketKey(
                tier: tier,
                bucket: Self.bucket(of: ref.record.header.start, resolution: tiers[tier].resolution),
                meta: types + "|" + (meta.periodType?.description ?? ""))
        }
        // The buckets with a due block, then every block that joins one: due blocks at their tier, other compacted
        // blocks in the coarsest tier where a bucket of theirs has a due block.
        let dueKeys = refs.map { ref in dueTier(ref.record).map { key(ref, tier: $0) } }
        let due = Set(dueKeys.compactMap { $0 })
        var members: [BucketKey: [BlockRef]] = [:]
        var bucketOrder: [BucketKey] = []
        var items: [RewritePlan.Item] = []
        for (ref, dueKey) in zip(refs, dueKeys) {
            var target = dueKey
            if target == nil, ref.record.header.kind == .compacted {
                target = tiers.indices.reversed().lazy.map { key(ref, tier: $0) }.first { due.contains($0) }
            }
            if let target {
                if members[target] == nil { bucketOrder.append(target) }
                members[target, default: []].append(ref)
            } else {
                items.append(.copy(ref))
            }
        }
        for key in bucketOrder {
            let blocks = (members[key] ?? []).sorted(by: ProfileStore.timeOrder)
            // A compacted block alone in its bucket is what merging would make again.
            if blocks.count == 1, blocks[0].record.header.kind == .compacted {
                items.append(.copy(blocks[0]))
            } else {
                items.append(.merge(blocks))
            }
        }
        // Stable: equal starts keep the order above, so the output is deterministic.
        return items.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(
            \.element)
    }
}
