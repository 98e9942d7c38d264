import ProfileModel

/// The distinct values of one label key in a time range.
public struct LabelValues: Sendable, Equatable {
    /// The values, numbers in decimal: numbers in numeric order first, then strings in byte order; at most the
    /// `limit` asked for.
    public var values: [String]
    /// True when there were more values than the limit.
    public var truncated: Bool

    public init(values: [String], truncated: Bool) {
        self.values = values
        self.truncated = truncated
    }
}

extension ProfileStore {
    /// The label keys that some sample of a block overlapping `[from, to)` carries, sorted; read from the blocks'
    /// metadata (their ``LabelSummary``), without reading payloads.
    ///
    /// - Throws: ``StoreError`` when the store cannot be rescanned.
    public func labelNames(from: Int64, to: Int64) throws(StoreError) -> [String] {
        var names = Set<String>()
        for ref in try snapshot().refs where ref.record.overlaps(from: from, to: to) {
            names.formUnion(ref.record.meta.labels.keys.keys)
        }
        return names.sorted()
    }

    /// The distinct values of label `name` in the blocks overlapping `[from, to)`.
    ///
    /// Values come from the blocks' ``LabelSummary``; only blocks whose summary of `name` is partial (more than
    /// ``LabelSummary/maximumValuesPerKey`` values, typically `tid`) are decoded. Damaged blocks are skipped.
    ///
    /// - Parameter limit: most values returned (at least 1); the smallest in the order of ``LabelValues/values``.
    /// - Throws: ``StoreError`` when a segment cannot be read.
    public func labelValues(_ name: String, from: Int64, to: Int64, limit: Int = .max) throws(StoreError)
        -> LabelValues
    {
        var strings = Set<String>()
        var numbers = Set<Int64>()
        for ref in try snapshot().refs where ref.record.overlaps(from: from, to: to) {
            guard let summary = ref.record.meta.labels.keys[name] else { continue }
            guard !summary.isComplete else {
                strings.formUnion(summary.strings)
                numbers.formUnion(summary.numbers)
                continue
            }
            guard var (parsed, _) = try readParsed(ref) else { continue }
            for set in 0..<(parsed.decoder.labelSetStarts.count - 1) {
                for label in parsed.decoder.labelSet(set) where label.key == name {
                    if let string = label.string {
                        strings.insert(string)
                    } else if let number = label.number {
                        numbers.insert(number)
                    }
                }
            }
        }
        let all = numbers.sorted().map { String($0) } + strings.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return LabelValues(values: Array(all.prefix(max(1, limit))), truncated: all.count > max(1, limit))
    }
}
