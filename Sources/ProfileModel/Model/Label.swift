/// A key/value annotation on a sample: either a string (`comm=nginx`) or a number with an optional unit (`pid=42`).
///
/// Invariant: exactly one of `string` and `number` is non-nil, and `numberUnit` is nil unless `number` is set.
/// Build labels with ``string(_:_:)`` and ``number(_:_:unit:)``, which maintain it; ``Profile/validate()`` checks it.
///
/// On the pprof wire a string label with an empty value is indistinguishable from the number 0, so empty string labels
/// are dropped: by ``ProfileBuilder``, by the pprof encoder and by the decoder. An empty unit is the same as no unit.
public struct Label: Sendable, Hashable {
    /// The label's name, e.g. `pid` or `comm`.
    public var key: String
    /// The value of a string label; nil for a numeric label.
    public var string: String?
    /// The value of a numeric label; nil for a string label.
    public var number: Int64?
    /// The unit of a numeric label, e.g. `bytes`; nil when unspecified or for a string label.
    public var numberUnit: String?

    /// A string label, e.g. `.string("comm", "nginx")`.
    public static func string(_ key: String, _ value: String) -> Label {
        Label(key: key, string: value, number: nil, numberUnit: nil)
    }

    /// A numeric label, e.g. `.number("pid", 42)` or `.number("bytes", 4096, unit: "bytes")`.
    public static func number(_ key: String, _ value: Int64, unit: String? = nil) -> Label {
        Label(key: key, string: nil, number: value, numberUnit: unit?.isEmpty == true ? nil : unit)
    }

    /// A total order used to compare label sets regardless of the order they were given in.
    static func canonicallyOrdered(_ a: Label, _ b: Label) -> Bool {
        if a.key != b.key { return a.key < b.key }
        switch (a.string, b.string) {
        case (let x?, let y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): break
        }
        if a.number != b.number { return (a.number ?? 0) < (b.number ?? 0) }
        return (a.numberUnit ?? "") < (b.numberUnit ?? "")
    }
}

extension Label: CustomStringConvertible {
    /// `key=value`, with the unit appended to numbers that have one (`size=4096bytes`).
    public var description: String {
        if let string { return "\(key)=\(string)" }
        return "\(key)=\(number ?? 0)\(numberUnit ?? "")"
    }
}
