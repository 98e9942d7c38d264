import Logging

extension ProfileStore {
    /// Merges windows older than ``StoreOptions/compactAfter`` into compacted blocks of
    /// ``StoreOptions/compactedResolution``, those older than ``StoreOptions/coarseCompaction`` again into coarser
    /// blocks, and packs small sealed segments together.
    ///
    /// Totals are exact: each compacted block is `Profile.merge` of its windows, so the sum of every value per
    /// (stack, label set) is unchanged. If the open segment holds a due window it is sealed first (the next append
    /// starts a new segment). Runs under the maintenance lock; appends and reads continue meanwhile except for two
    /// short critical sections per rewritten segment (see ``rewrite(_:activity:)``). Call it periodically, e.g.
    /// every minute.
    ///
    /// - Parameter now: the current time, ns since the Unix epoch.
    /// - Throws: ``StoreError`` when a file cannot be read or written; the store is then unchanged for the segment
    ///   being rewritten (earlier rewrites of the same call stay done).
    public func compact(now: Int64) throws(StoreError) {
        try requireWritable("compact")
        try maintenance.withLock { (state: inout MaintenanceState) throws(StoreError) in
            defer { releaseDictionaries(&state) }
            do throws(StoreError) {
                var tiers = [
                    CompactionPlanner.Tier(
                        cutoff: now.addingSaturated(-options.compactAfter.nanoseconds),
                        resolution: options.compactedResolution.nanoseconds)
                ]
                if let coarse = options.coarseCompaction {
                    tiers.append(
                        CompactionPlanner.Tier(
                            cutoff: now.addingSaturated(-coarse.after.nanoseconds),
                            resolution: coarse.resolution.nanoseconds))
                }
                let planner = CompactionPlanner(tiers: tiers, segmentBytes: options.segmentBytes)
                sealOpenSegment { $0.blocks.contains(where: planner.isDue) }
                let (sealed, bad) = index.withLock { index in
                    (index.segments.filter { $0.id != index.openSegmentID }, index.badBlocks)
                }
                let plans = planner.plan(sealed: sealed, bad: bad)
                guard !plans.isEmpty else { return }
                var merged = 0
                for plan in plans { merged += try rewrite(plan, activity: "compacting", state: &state) }
                index.withLock { index in
                    index.statistics.compactions += 1
                    index.statistics.windowsCompacted += merged
                }
                let inputs = plans.map(\.inputs.count).reduce(0, +)
                logger.info(
                    "store \(directory): compacted \(merged) windows, rewrote \(inputs) segments into \(plans.count)")
            } catch {
                throw counted(error)
            }
        }
    }

    /// Deletes data older than ``StoreOptions/retention`` and, oldest first, whatever exceeds
    /// ``StoreOptions/maxBytes``.
    ///
    /// Whole segments are deleted; a sealed segment that is at least a quarter expired is rewritten without its
    /// expired blocks. The open segment is deleted only when all its blocks are expired, or when it alone exceeds
    /// ``StoreOptions/maxBytes``. Runs under the maintenance lock like ``compact(now:)``.
    ///
    /// - Parameter now: the current time, ns since the Unix epoch.
    public func enforceRetention(now: Int64) throws(StoreError) {
        try requireWritable("enforce retention")
        try maintenance.withLock { (state: inout MaintenanceState) throws(StoreError) in
            defer { releaseDictionaries(&state) }
            do throws(StoreError) {
                let planner = RetentionPlanner(
                    cutoff: now.addingSaturated(-options.retention.nanoseconds), maxBytes: Int64(options.maxBytes))
                var (segments, openID, bad) = index.withLock { ($0.segments, $0.openSegmentID, $0.badBlocks) }
                for id in planner.expiredSegments(segments, openID: openID) {
                    try deleteSegment(id, reason: "expired") { segment in
                        segment.blocks.allSatisfy(planner.isExpired)
                    }
                }
                (segments, openID, bad) = index.withLock { ($0.segments, $0.openSegmentID, $0.badBlocks) }
                for plan in planner.rewrites(segments, openID: openID, bad: bad) {
                    try rewrite(plan, activity: "removing expired blocks", state: &state)
                    index.withLock { $0.statistics.retentionBlocksDropped += plan.droppedBlocks }
                }
                (segments, openID) = index.withLock { ($0.segments, $0.openSegmentID) }
                for id in planner.oversize(segments, openID: openID) {
                    try deleteSegment(id, reason: "over maxBytes \(options.maxBytes)") { _ in true }
                }
            } catch {
                throw counted(error)
            }
        }
    }

    /// Drops the dictionaries maintenance loaded (for compressing compacted blocks, and for reading the windows it
    /// merged): they are loaded again, in a few milliseconds, when needed.
    private func releaseDictionaries(_ state: inout MaintenanceState) {
        state.releaseDictionaries()
        dictionaryCache.withLock { $0.removeAll() }
    }

    /// Seals the open segment if `condition` holds for its index entry (writer lock, then index lock).
    private func sealOpenSegment(if condition: (SegmentRecord) -> Bool) {
        writer.withLock { state in
            guard let open = state.open else { return }
            let due = index.withLock { index in index.position(of: open.file.id).map { condition(index.segments[$0]) } }
            if due == true { seal(&state) }
        }
    }

    /// Removes segment `id` from the index (sealing it first if it is the open one) when `condition` still holds,
    /// then deletes its file. Readers holding the segment keep reading their descriptor.
    private func deleteSegment(
        _ id: UInt64, reason: String, if condition: (SegmentRecord) -> Bool
    ) throws(StoreError) {
        let removed: SegmentRecord? = writer.withLock { state in
            let record = index.withLock { index -> SegmentRecord? in
                guard let position = index.position(of: id), condition(index.segments[position]) else { return nil }
                return index.segments.remove(at: position)
            }
            if record != nil, state.open?.file.id == id { seal(&state) }
            return record
        }
        guard let removed else { return }
        let name = StorageFormat.segmentFileName(id)
        try removeFile(segmentPath(id), while: "deleting segment \(name) (\(reason))")
        try syncSegmentsDirectory(while: "deleting segment \(name)")
        index.withLock { index in
            index.statistics.retentionSegmentsDeleted += 1
            index.statistics.retentionBlocksDropped += removed.blocks.count
        }
        logger.info("store \(directory): deleted segment \(name) with \(removed.blocks.count) blocks (\(reason))")
    }
}
