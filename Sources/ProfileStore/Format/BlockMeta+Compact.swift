/// The compact metadata encoding of format version 2 (block header flag bit 0; storage/FORMAT.md, "Compact
/// metadata").
///
/// The fields before the label summary are those of version 1. The label summary lists, per key, the values the
/// block's dictionary already names (its *vocabulary*, the label summary of its context) as a bitmap, and only the
/// other values explicitly: strings front-coded, numbers delta-coded. Consecutive windows of a host carry nearly the
/// same labels, so the summary of a window costs a few dozen bytes instead of kilobytes.
extension BlockMeta {
    func compactEncoded(vocabulary: LabelSummary?) -> [UInt8] {
        var w = ByteWriter()
        encodeFixedFields(into: &w)
        labels.compactEncode(into: &w, vocabulary: vocabulary)
        return w.bytes
    }

    static func decodeCompact(
        _ bytes: [UInt8], range: Range<Int>, vocabulary: LabelSummary?
    ) throws(FormatError) -> BlockMeta {
        var r = ByteReader(bytes, range: range)
        var meta = try decodeFixedFields(&r)
        meta.labels = try LabelSummary.compactDecode(&r, vocabulary: vocabulary)
        guard r.isAtEnd else { throw FormatError("\(r.remaining) unexpected bytes after the block metadata") }
        return meta
    }
}

extension LabelSummary {
    /// The values of `key` in vocabulary order: strings ascending by UTF-8 bytes, then numbers ascending.
    fileprivate func vocabularyValues(_ key: String) -> (strings: [String], numbers: [Int64]) {
        guard let values = keys[key] else { return ([], []) }
        return (values.strings.sorted(by: utf8Order), values.numbers.sorted())
    }

    /// Writes the summary: `uvarint K`, then per key (ascending by UTF-8 bytes) the key, the complete flag, a bitmap
    /// over the vocabulary's values of that key when the vocabulary has the key, and the values it lacks.
    func compactEncode(into w: inout ByteWriter, vocabulary: LabelSummary?) {
        w.uvarint(keys.count)
        for key in keys.keys.sorted(by: utf8Order) {
            let values = keys[key] ?? Values()
            w.string(key)
            w.u8(values.isComplete ? 1 : 0)
            var strings = values.strings
            var numbers = values.numbers
            if let vocabulary, vocabulary.keys[key] != nil {
                let known = vocabulary.vocabularyValues(key)
                var bitmap = [UInt8](repeating: 0, count: (known.strings.count + known.numbers.count + 7) / 8)
                for (bit, string) in known.strings.enumerated() where strings.remove(string) != nil {
                    bitmap[bit / 8] |= 1 << (bit % 8)
                }
                for (index, number) in known.numbers.enumerated() where numbers.remove(number) != nil {
                    let bit = known.strings.count + index
                    bitmap[bit / 8] |= 1 << (bit % 8)
                }
                w.append(bitmap)
            }
            w.uvarint(strings.count)
            var previous: [UInt8] = []
            for string in strings.sorted(by: utf8Order) {
                let utf8 = Array(string.utf8)
                let shared = zip(previous, utf8).prefix { $0 == $1 }.count
                w.uvarint(shared)
                w.uvarint(utf8.count - shared)
                w.append(Array(utf8[shared...]))
                previous = utf8
            }
            w.uvarint(numbers.count)
            var previousNumber: Int64 = 0
            for number in numbers.sorted() {
                w.svarint(number &- previousNumber)
                previousNumber = number
            }
        }
    }

    static func compactDecode(_ r: inout ByteReader, vocabulary: LabelSummary?) throws(FormatError) -> LabelSummary {
        let keyCount = try r.count(atMost: r.remaining, "label key count")
        var summary = LabelSummary()
        for _ in 0..<keyCount {
            let key = try r.string()
            let complete = try r.u8()
            guard complete <= 1 else { throw FormatError("metadata completeness flag is \(complete)") }
            var values = Values(isComplete: complete == 1)
            if let vocabulary, vocabulary.keys[key] != nil {
                let known = vocabulary.vocabularyValues(key)
                let bits = known.strings.count + known.numbers.count
                for byteIndex in 0..<(bits + 7) / 8 {
                    let byte = try r.u8()
                    for bit in 0..<8 where byte & (1 << bit) != 0 {
                        let index = byteIndex * 8 + bit
                        guard index < bits else { throw FormatError("label bitmap names value \(index) of \(bits)") }
                        if index < known.strings.count {
                            values.strings.insert(known.strings[index])
                        } else {
                            values.numbers.insert(known.numbers[index - known.strings.count])
                        }
                    }
                }
            }
            let stringCount = try r.count(atMost: r.remaining, "label string count")
            var previous: [UInt8] = []
            for _ in 0..<stringCount {
                let shared = try r.count(atMost: previous.count, "shared prefix length")
                let suffixLength = try r.count(atMost: r.remaining, "label value length")
                var utf8 = Array(previous[0..<shared])
                for _ in 0..<suffixLength { utf8.append(try r.u8()) }
                values.strings.insert(String(decoding: utf8, as: UTF8.self))
                previous = utf8
            }
            let numberCount = try r.count(atMost: r.remaining, "label number count")
            var number: Int64 = 0
            for _ in 0..<numberCount {
                number = number &+ (try r.svarint())
                values.numbers.insert(number)
            }
            summary.keys[key] = values
        }
        return summary
    }
}

/// Ascending by UTF-8 bytes, the order storage/FORMAT.md uses for keys and values.
func utf8Order(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
