public import ProfileModel

/// One condition of a ``Selector``: a label name, an operator and a value, e.g. `comm=~"python.*"`.
///
/// Semantics follow Prometheus. A label that a sample does not have has the value `""`, so `{exe=""}` matches samples
/// without `exe` and `{comm!="x"}` matches samples without `comm`. Numeric labels (``Label/number``, e.g. `pid`)
/// compare by their decimal form (`pid="42"`, `pid=~"4.*"`); their unit is ignored. Regular expressions match the
/// whole value (anchored, as if written `^(?:re)$`) and `.` matches newlines too. When a sample has several labels
/// with the same key, the first one counts.
///
/// The fields are immutable because the matcher compiles its value once, in ``init(name:op:value:)``;
/// ``matches(_:)`` never compiles and is safe to call from many threads at once. Equality and hashing use the name,
/// operator and value text only.
public struct LabelMatcher: Sendable, Hashable {
    /// How the label's value is compared with ``value``.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        /// The value equals the string.
        case equal = "="
        /// The value differs from the string.
        case notEqual = "!="
        /// The whole value matches the regular expression.
        case regexMatch = "=~"
        /// The whole value does not match the regular expression.
        case regexNoMatch = "!~"

        /// True for `!=` and `!~`.
        var isNegated: Bool { self == .notEqual || self == .regexNoMatch }
    }

    /// The label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    public let name: String
    /// The comparison.
    public let op: Operator
    /// The string, or the regular expression for `=~` and `!~`.
    public let value: String

    private let pattern: ValuePattern
    /// Whether a sample without the label matches, decided once.
    private let matchesAbsent: Bool

    /// A matcher for `name op value`, with a regular expression compiled now.
    ///
    /// - Throws: ``QueryError/Code/invalidSelector`` when `name` is not a label name, and
    ///   ``QueryError/Code/invalidRegex`` when `value` is not a valid regular expression for `=~` or `!~`. The error's
    ///   ``QueryError/input`` is the offending name or value.
    public init(name: String, op: Operator, value: String) throws(QueryError) {
        guard Self.isLabelName(name) else {
            throw QueryError(
                .invalidSelector, "\(QuotedString.quote(name)) is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)",
                input: name)
        }
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual:
            pattern = .equal(to: value)
        case .regexMatch, .regexNoMatch:
            do {
                pattern = try .regex(value)
            } catch {
                throw QueryError(
                    .invalidRegex, "invalid regular expression \(QuotedString.quote(value)): \(error)", input: value)
            }
        }
        matchesAbsent = pattern.matches("") != op.isNegated
    }

    /// Whether a sample with these labels satisfies the matcher.
    public func matches(_ labels: [Label]) -> Bool {
        for label in labels where label.key == name {
            return pattern.matches(string: label.string, number: label.number) != op.isNegated
        }
        return matchesAbsent
    }

    /// Whether `name` is `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isNameStart(first) else { return false }
        return name.unicodeScalars.allSatisfy(isNameContinuation)
    }

    /// `[a-zA-Z_]`.
    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    /// `[a-zA-Z0-9_]`.
    static func isNameContinuation(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || ("0"..."9").contains(scalar)
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.op == rhs.op && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }
}

extension LabelMatcher: CustomStringConvertible {
    /// The matcher as selector text, e.g. `comm="python3"`; parses back to an equal matcher.
    public var description: String { "\(name)\(op.rawValue)\(QuotedString.quote(value))" }
}
