import ProfileModel

/// The uncompressed metadata section of a block: what the index needs without decompressing the payload.
///
/// Layout (storage/FORMAT.md, "Block metadata"):
/// ```
/// uvarint  sample type count T; T × (string type, string unit)
/// u8       has period type (0/1); if 1: string type, string unit
/// svarint  period
/// uvarint  sample rows (distinct stack/label-set pairs)
/// T × svarint  total of each sample type over all rows (saturating)
/// uvarint  windows merged into the block (1 for a window block)
/// uvarint  label key count K; K × (string key, u8 complete (0/1),
///          uvarint S, S × string value, uvarint N, N × svarint value)   keys and values sorted ascending
/// ```
struct BlockMeta: Sendable, Equatable {
    var sampleTypes: [ValueType]
    var periodType: ValueType?
    var period: Int64
    var sampleRows: Int
    var totals: [Int64]
    var windowCount: Int
    var labels: LabelSummary

    /// The metadata of `profile`, a merge of `windowCount` windows.
    init(profile: Profile, windowCount: Int) {
        sampleTypes = profile.sampleTypes
        periodType = profile.periodType
        period = profile.period
        sampleRows = profile.samples.count
        var totals = [Int64](repeating: 0, count: profile.sampleTypes.count)
        var labels = LabelSummary()
        for sample in profile.samples {
            for (column, value) in sample.values.enumerated() where column < totals.count {
                totals[column] = totals[column].addingSaturated(value)
            }
            for label in sample.labels { labels.insert(label) }
        }
        self.totals = totals
        self.windowCount = windowCount
        self.labels = labels
    }

    init(
        sampleTypes: [ValueType], periodType: ValueType?, period: Int64, sampleRows: Int, totals: [Int64],
        windowCount: Int, labels: LabelSummary
    ) {
        self.sampleTypes = sampleTypes
        self.periodType = periodType
        self.period = period
        self.sampleRows = sampleRows
        self.totals = totals
        self.windowCount = windowCount
        self.labels = labels
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        encodeFixedFields(into: &w)
        w.uvarint(labels.keys.count)
        for key in labels.keys.keys.sorted() {
            let values = labels.keys[key] ?? LabelSummary.Values()
            w.string(key)
            w.u8(values.isComplete ? 1 : 0)
            w.uvarint(values.strings.count)
            for string in values.strings.sorted() { w.string(string) }
            w.uvarint(values.numbers.count)
            for number in values.numbers.sorted() { w.svarint(number) }
        }
        return w.bytes
    }

    /// Sample types, period type, period, sample rows, totals and window count: the fields before the label
    /// summary, the same in both encodings.
    func encodeFixedFields(into w: inout ByteWriter) {
        w.uvarint(sampleTypes.count)
        for type in sampleTypes {
            w.string(type.type)
            w.string(type.unit)
        }
        if let periodType {
            w.u8(1)
            w.string(periodType.type)
            w.string(periodType.unit)
        } else {
            w.u8(0)
        }
        w.svarint(period)
        w.uvarint(sampleRows)
        for total in totals { w.svarint(total) }
        w.uvarint(windowCount)
    }

    static func decode(_ bytes: [UInt8], range: Range<Int>) throws(FormatError) -> BlockMeta {
        var r = ByteReader(bytes, range: range)
        var meta = try decodeFixedFields(&r)
        let keyCount = try r.count(atMost: r.remaining, "label key count")
        for _ in 0..<keyCount {
            let key = try r.string()
            let complete = try r.u8()
            guard complete <= 1 else { throw FormatError("metadata completeness flag is \(complete)") }
            var values = LabelSummary.Values(isComplete: complete == 1)
            let stringCount = try r.count(atMost: r.remaining, "label string count")
            for _ in 0..<stringCount { values.strings.insert(try r.string()) }
            let numberCount = try r.count(atMost: r.remaining, "label number count")
            for _ in 0..<numberCount { values.numbers.insert(try r.svarint()) }
            meta.labels.keys[key] = values
        }
        guard r.isAtEnd else { throw FormatError("\(r.remaining) unexpected bytes after the block metadata") }
        return meta
    }

    /// Reads the fields before the label summary; the summary is left empty.
    static func decodeFixedFields(_ r: inout ByteReader) throws(FormatError) -> BlockMeta {
        let typeCount = try r.count(atMost: r.remaining, "sample type count")
        var sampleTypes: [ValueType] = []
        for _ in 0..<typeCount {
            sampleTypes.append(ValueType(type: try r.string(), unit: try r.string()))
        }
        var periodType: ValueType?
        switch try r.u8() {
        case 0: break
        case 1: periodType = ValueType(type: try r.string(), unit: try r.string())
        case let flag: throw FormatError("metadata period type flag is \(flag)")
        }
        let period = try r.svarint()
        let sampleRows = try r.count(atMost: Int.max, "sample rows")
        var totals: [Int64] = []
        for _ in 0..<typeCount { totals.append(try r.svarint()) }
        let windowCount = try r.count(atMost: Int.max, "window count")
        return BlockMeta(
            sampleTypes: sampleTypes, periodType: periodType, period: period, sampleRows: sampleRows,
            totals: totals, windowCount: windowCount, labels: LabelSummary())
    }
}
