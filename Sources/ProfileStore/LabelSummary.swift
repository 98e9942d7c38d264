import ProfileModel

/// The label values that occur in a stored block, per label key, so queries can skip blocks without decoding them.
///
/// For every key that some sample of the block carries, the summary lists the distinct string values and the
/// distinct numeric values, up to ``maximumValuesPerKey`` in total; a key with more distinct values (typically `tid`)
/// is kept with ``Values/isComplete`` false and its value sets are then partial. Numeric units are not summarized.
///
/// The answers are conservative: ``mayContain(_:)`` returns false only when the block certainly has no sample with
/// that label.
public struct LabelSummary: Sendable, Hashable {
    /// Distinct values of one key.
    public struct Values: Sendable, Hashable {
        /// Distinct string values.
        public var strings: Set<String> = []
        /// Distinct numeric values.
        public var numbers: Set<Int64> = []
        /// False when the key had more than ``LabelSummary/maximumValuesPerKey`` distinct values and the sets hold
        /// only some of them.
        public var isComplete = true

        public init(strings: Set<String> = [], numbers: Set<Int64> = [], isComplete: Bool = true) {
            self.strings = strings
            self.numbers = numbers
            self.isComplete = isComplete
        }

        var count: Int { strings.count + numbers.count }
    }

    /// Most distinct values kept per key.
    public static let maximumValuesPerKey = 256

    /// Summary per label key; a key that no sample carries is absent.
    public var keys: [String: Values] = [:]

    public init(keys: [String: Values] = [:]) {
        self.keys = keys
    }

    /// Whether some sample of the block may carry `label` (its key and value; a numeric label's unit is ignored).
    public func mayContain(_ label: Label) -> Bool {
        guard let values = keys[label.key] else { return false }
        if !values.isComplete { return true }
        if let string = label.string { return values.strings.contains(string) }
        if let number = label.number { return values.numbers.contains(number) }
        return false
    }

    /// Adds one label occurrence.
    mutating func insert(_ label: Label) {
        var values = keys[label.key] ?? Values()
        if let string = label.string {
            values.insert(string: string)
        } else if let number = label.number {
            values.insert(number: number)
        }
        keys[label.key] = values
    }

    /// Adds every key and value of `other`.
    mutating func formUnion(_ other: LabelSummary) {
        for (key, theirs) in other.keys {
            var values = keys[key] ?? Values()
            values.isComplete = values.isComplete && theirs.isComplete
            for string in theirs.strings { values.insert(string: string) }
            for number in theirs.numbers { values.insert(number: number) }
            keys[key] = values
        }
    }
}

extension LabelSummary.Values {
    /// Adds a string value, or marks the key incomplete when it already has the maximum number of values.
    mutating func insert(string: String) {
        guard !strings.contains(string) else { return }
        guard count < LabelSummary.maximumValuesPerKey else {
            isComplete = false
            return
        }
        strings.insert(string)
    }

    /// Adds a numeric value, or marks the key incomplete when it already has the maximum number of values.
    mutating func insert(number: Int64) {
        guard !numbers.contains(number) else { return }
        guard count < LabelSummary.maximumValuesPerKey else {
            isComplete = false
            return
        }
        numbers.insert(number)
    }
}
