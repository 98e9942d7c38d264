import ProfileModel

/// Values over time: one value column of the stored blocks, summed into fixed time buckets, in total or per
/// combination of label values.
public struct StoreSeries: Sendable, Equatable {
    /// One line of the chart: the samples whose labels have these values.
    public struct Group: Sendable, Equatable {
        /// The value of each grouping label (`""` for samples without the label; numbers in decimal). Empty when
        /// the series is not grouped.
        public var labels: [String: String]
        /// One value per bucket.
        public var values: [Int64]
        /// Sum of ``values``.
        public var total: Int64

        public init(labels: [String: String], values: [Int64], total: Int64) {
            self.labels = labels
            self.values = values
            self.total = total
        }
    }

    /// The column the values come from; nil when no block in range has it.
    public var sampleType: ValueType?
    /// Start of the first bucket (ns since the Unix epoch): `from` rounded down to a multiple of ``step``, so the
    /// buckets of overlapping queries line up.
    public var start: Int64
    /// Length of a bucket in nanoseconds.
    public var step: Int64
    /// Whether some stored block overlaps each bucket: buckets without data (the agent was not running) are false,
    /// so a chart can leave a gap instead of drawing zero.
    public var covered: [Bool]
    /// The groups with the largest totals, largest first (then by labels); at most the `limit` asked for.
    public var groups: [Group]
    /// The sum of the groups left out by the limit, per bucket; nil when none was left out.
    public var other: [Int64]?
    /// How many groups were left out by the limit.
    public var otherGroups: Int

    /// The start of bucket `index`.
    public func bucketStart(_ index: Int) -> Int64 { start.addingSaturated(Int64(index).multipliedSaturated(by: step)) }
}

extension ProfileStore {
    /// The value of one column of the stored blocks that overlap `[from, to)`, in buckets of `step` nanoseconds,
    /// in total or grouped by the values of the labels `groupBy`.
    ///
    /// Buckets start at `from` rounded down to a multiple of `step` and cover `to`. A block's value is spread over
    /// the buckets it overlaps in proportion to the overlap (a 5-minute compacted block contributes a fifth of its
    /// samples to each 1-minute bucket), in whole units with the rounding carried along so the parts add up to the
    /// block's value; the parts of a block outside the buckets are left out.
    ///
    /// Without a predicate and without grouping, the values come from the blocks' metadata and no payload is read;
    /// otherwise each block is decoded once and every distinct label set in it is matched and grouped once.
    ///
    /// - Parameters:
    ///   - step: bucket length in nanoseconds (at least 1).
    ///   - sampleType: the ``ValueType/type`` of the column; nil takes the last column of the newest block in range,
    ///     the column pprof shows when a profile names no default (the agent's default, `cpu`, is its last). Blocks
    ///     without that column are left out.
    ///   - groupBy: label keys to group by; empty sums everything into one group with no labels.
    ///   - limit: most groups returned (at least 1); the rest are summed into ``StoreSeries/other``.
    ///   - blocks: as in ``query(from:to:blocks:where:)``, decides from metadata whether a block can contain
    ///     matching samples.
    ///   - predicate: keeps a sample when it returns true for the sample's labels; nil keeps all.
    /// - Throws: ``StoreError`` with ``StoreError/Code/invalidArgument`` when `from > to`, `step < 1`, `limit < 1` or
    ///   the buckets would exceed `maxBuckets`; or when a segment cannot be read.
    public func series(
        from: Int64, to: Int64, step: Int64, sampleType: String? = nil, groupBy: [String] = [], limit: Int = .max,
        maxBuckets: Int = 100_000, blocks blockFilter: ((StoredWindowInfo) -> Bool)? = nil,
        where predicate: (([Label]) -> Bool)? = nil
    ) throws(StoreError) -> StoreSeries {
        func invalid(_ message: String) -> StoreError {
            StoreError(.invalidArgument, "store \(directory): series: \(message)")
        }
        guard from <= to else { throw invalid("the range ends (\(to)) before it starts (\(from))") }
        guard step >= 1 else { throw invalid("step must be at least 1 ns") }
        guard limit >= 1 else { throw invalid("limit must be at least 1") }
        let start = from.flooredToMultiple(of: step)
        let span = Double(to) - Double(start)
        let bucketCount = max(1, Int((span / Double(step)).rounded(.up)))
        guard Double(bucketCount) <= Double(maxBuckets) else {
            throw invalid("\(bucketCount) buckets of \(step) ns; at most \(maxBuckets)")
        }
        let end = start.addingSaturated(Int64(bucketCount).multipliedSaturated(by: step))

        let (all, _) = try snapshot()
        var refs = all.filter { $0.record.overlaps(from: from, to: to) }
        if let blockFilter { refs = refs.filter { blockFilter($0.info()) } }
        refs.sort(by: Self.timeOrder)
        let newest = refs.max(by: Self.endOrder)?.record.meta
        let type = sampleType.flatMap { name in newest?.sampleTypes.first { $0.type == name } }
            ?? (sampleType == nil ? newest?.sampleTypes.last : nil)

        var accumulator = SeriesAccumulator(start: start, step: step, count: bucketCount)
        for ref in refs {
            let header = ref.record.header
            let blockStart = header.start
            let blockEnd = max(header.end, header.start.addingSaturated(1))
            accumulator.cover(from: blockStart, to: blockEnd, rangeEnd: end)
            guard let type, let column = ref.record.meta.sampleTypes.firstIndex(of: type) else { continue }
            if predicate == nil && groupBy.isEmpty {
                accumulator.add(ref.record.meta.totals[column], group: [], from: blockStart, to: blockEnd)
                continue
            }
            guard var (parsed, _) = try readParsed(ref) else { continue }
            let types = parsed.decoder.header.sampleTypes
            guard let decodedColumn = types.firstIndex(of: type) else { continue }
            let perGroup = Self.groupedTotals(
                &parsed.decoder, column: decodedColumn, of: types.count, groupBy: groupBy, predicate: predicate)
            for (group, value) in perGroup {
                accumulator.add(value, group: group, from: blockStart, to: blockEnd)
            }
        }
        return accumulator.result(sampleType: type, groupBy: groupBy, limit: limit)
    }

    /// Per group of label values, the sum of `column` over the samples of a decoded block that `predicate` keeps;
    /// each distinct label set is matched and grouped once.
    static func groupedTotals(
        _ decoder: inout PayloadDecoder, column: Int, of typeCount: Int, groupBy: [String],
        predicate: (([Label]) -> Bool)?
    ) -> [[String]: Int64] {
        let setCount = decoder.labelSetStarts.count - 1
        // Per label set: nil until seen, then the group it belongs to, or an empty marker when it does not match.
        var groupOfSet = [Int?](repeating: nil, count: setCount)
        var groups: [[String]] = []
        var groupIndex: [[String]: Int] = [:]
        var sums: [Int64] = []
        for row in decoder.sampleLabelSets.indices {
            let set = decoder.sampleLabelSets[row]
            let group: Int
            if let known = groupOfSet[set] {
                group = known
            } else {
                let labels = decoder.labelSet(set)
                if let predicate, !predicate(labels) {
                    group = -1
                } else {
                    let key = groupBy.map { name in
                        guard let label = labels.first(where: { $0.key == name }) else { return "" }
                        return label.string ?? label.number.map { String($0) } ?? ""
                    }
                    if let existing = groupIndex[key] {
                        group = existing
                    } else {
                        group = groups.count
                        groupIndex[key] = group
                        groups.append(key)
                        sums.append(0)
                    }
                }
                groupOfSet[set] = group
            }
            guard group >= 0 else { continue }
            sums[group] = sums[group].addingSaturated(decoder.values[row * typeCount + column])
        }
        var result: [[String]: Int64] = [:]
        for (index, key) in groups.enumerated() { result[key] = sums[index] }
        return result
    }
}

/// Buckets per group, filled block by block (sparsely: a group gets an array only once it has a value).
struct SeriesAccumulator {
    let start: Int64
    let step: Int64
    let count: Int
    var covered: [Bool]
    var values: [[String]: [Int64]] = [:]

    init(start: Int64, step: Int64, count: Int) {
        self.start = start
        self.step = step
        self.count = count
        covered = [Bool](repeating: false, count: count)
    }

    /// The buckets that `[from, to)` overlaps, clipped to the buckets.
    private func buckets(from: Int64, to: Int64) -> ClosedRange<Int>? {
        guard to > start, let last = bucket(of: to - 1) else {
            return nil
        }
        let first = from <= start ? 0 : Int((from - start) / step)
        guard first < count else { return nil }
        return first...min(last, count - 1)
    }

    private func bucket(of time: Int64) -> Int? {
        guard time >= start else { return nil }
        return Int(min(Int64(count - 1), (time - start) / step))
    }

    mutating func cover(from: Int64, to: Int64, rangeEnd: Int64) {
        guard from < rangeEnd, let range = buckets(from: from, to: to) else { return }
        for index in range { covered[index] = true }
    }

    /// Spreads `value` over the buckets `[from, to)` overlaps, in proportion to the overlap: bucket `i` gets
    /// `C(min(to, end_i)) - C(max(from, start_i))` with `C(t)` the rounded share of the value before `t`, so the whole
    /// parts of consecutive buckets add up exactly to the share of the value inside the buckets.
    mutating func add(_ value: Int64, group: [String], from: Int64, to: Int64) {
        guard value != 0, let range = buckets(from: from, to: to) else { return }
        let length = Double(to - from)
        func cumulative(_ time: Int64) -> Int64 {
            Int64((Double(value) * (Double(time - from) / length)).rounded())
        }
        var row = values[group] ?? [Int64](repeating: 0, count: count)
        for index in range {
            let low = Swift.max(from, bucketStart(index))
            let high = Swift.min(to, bucketStart(index + 1))
            row[index] = row[index].addingSaturated(cumulative(high) - cumulative(low))
        }
        values[group] = row
    }

    private func bucketStart(_ index: Int) -> Int64 {
        start.addingSaturated(Int64(index).multipliedSaturated(by: step))
    }

    func result(sampleType: ValueType?, groupBy: [String], limit: Int) -> StoreSeries {
        var groups = values.map { key, row in
            StoreSeries.Group(
                labels: Dictionary(uniqueKeysWithValues: zip(groupBy, key)), values: row,
                total: row.reduce(0) { $0.addingSaturated($1) })
        }
        groups.sort { a, b in
            if a.total != b.total { return a.total > b.total }
            return a.labels.sorted { $0.key < $1.key }.map(\.value).lexicographicallyPrecedes(
                b.labels.sorted { $0.key < $1.key }.map(\.value))
        }
        var other: [Int64]?
        let left = groups.count > limit ? groups[limit...] : []
        if !left.isEmpty {
            var sum = [Int64](repeating: 0, count: count)
            for group in left {
                for index in sum.indices { sum[index] = sum[index].addingSaturated(group.values[index]) }
            }
            other = sum
        }
        if groups.isEmpty && groupBy.isEmpty {
            groups = [StoreSeries.Group(labels: [:], values: [Int64](repeating: 0, count: count), total: 0)]
        }
        return StoreSeries(
            sampleType: sampleType, start: start, step: step, covered: covered, groups: Array(groups.prefix(limit)),
            other: other, otherGroups: left.count)
    }
}

extension Int64 {
    /// `self * other`, clamped to the representable range instead of trapping.
    func multipliedSaturated(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// `self - other`, clamped to the representable range instead of trapping.
    func subtractingSaturated(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// The largest multiple of `step` not above `self` (`step` > 0), saturating at `Int64.min`.
    func flooredToMultiple(of step: Int64) -> Int64 {
        let remainder = self % step
        guard remainder != 0 else { return self }
        return remainder > 0 ? self - remainder : subtractingSaturated(step + remainder)
    }
}
