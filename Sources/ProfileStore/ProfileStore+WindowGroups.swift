import ProfileModel

extension ProfileStore {
    /// The range `[from, to)` as up to `maxGroups` profiles of consecutive stored blocks, for statistics that need
    /// the variation between windows (a diff's bootstrap, see `DiffSide(windows:)`); their merge equals
    /// ``query(from:to:blocks:where:)`` of the same range.
    ///
    /// Blocks are dealt out in time order, as evenly as possible; groups whose samples the predicate removes
    /// entirely are left out, so the result may have fewer groups, or none.
    ///
    /// - Throws: as ``query(from:to:blocks:where:)``.
    public func queryGroups(
        from: Int64, to: Int64, maxGroups: Int, blocks blockFilter: ((StoredWindowInfo) -> Bool)? = nil,
        where predicate: (([Label]) -> Bool)? = nil
    ) throws(StoreError) -> [Profile] {
        guard from <= to else {
            throw StoreError(
                .invalidArgument, "store \(directory): query range ends (\(to)) before it starts (\(from))")
        }
        var infos = try windows(from: from, to: to)
        if let blockFilter { infos = infos.filter(blockFilter) }
        guard !infos.isEmpty else { return [] }
        let count = min(max(1, maxGroups), infos.count)
        var groups: [Profile] = []
        for group in 0..<count {
            let members = infos[(group * infos.count / count)..<((group + 1) * infos.count / count)]
            let keys = Set(members.map { BlockKey(segmentID: $0.segmentID, offset: $0.offset) })
            let profile = try query(
                from: from, to: to, blocks: { keys.contains(BlockKey(segmentID: $0.segmentID, offset: $0.offset)) },
                where: predicate)
            if profile.samples.contains(where: { $0.values.contains { $0 != 0 } }) { groups.append(profile) }
        }
        return groups
    }
}

/// Where a block is stored: identifies it within one snapshot of the store.
private struct BlockKey: Hashable {
    var segmentID: UInt64
    var offset: Int64
}
