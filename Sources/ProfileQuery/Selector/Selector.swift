public import ProfileModel

/// A set of label matchers in PromQL syntax that selects samples, e.g. `{comm="python3", pid!="1"}`.
///
/// A sample is selected when every matcher holds (see ``LabelMatcher`` for the Prometheus semantics of absent and
/// numeric labels and of regular expressions). A selector without matchers, written `{}` or as empty text, selects
/// everything. Selectors are values: parse once, then share freely between threads.
public struct Selector: Sendable, Hashable {
    /// The conditions, all of which must hold; in the order they were written.
    public var matchers: [LabelMatcher]

    /// The selector that selects every sample.
    public static let all = Selector(matchers: [])

    public init(matchers: [LabelMatcher]) {
        self.matchers = matchers
    }

    /// Parses PromQL label-matcher syntax: `{` matcher (`,` matcher)* `,`? `}`, whitespace allowed between tokens.
    ///
    /// A matcher is a label name (`[a-zA-Z_][a-zA-Z0-9_]*`), one of `=`, `!=`, `=~`, `!~`, and a quoted string (see
    /// ``LabelMatcher``; strings may use double quotes with escapes such as `\"` and `\\`, single quotes, or
    /// backticks without escapes). Empty or all-whitespace text is the same as `{}`.
    ///
    /// - Throws: ``QueryError`` whose ``QueryError/position`` points at the offending character: a missing brace,
    ///   a missing or unknown operator, an unterminated string (at its opening quote), a bad escape (at its
    ///   backslash), an invalid regular expression (at the value's opening quote), or text after the closing brace.
    public init(parsing text: String) throws(QueryError) {
        var parser = SelectorParser(text)
        self.init(matchers: try parser.parse())
    }

    /// Whether a sample with these labels is selected: true when every matcher holds.
    public func matches(_ labels: [Label]) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }
}

extension Selector: CustomStringConvertible {
    /// The selector in canonical syntax, e.g. `{comm="python3", pid="42"}` or `{}`; parses back to an equal selector.
    public var description: String {
        "{" + matchers.map(\.description).joined(separator: ", ") + "}"
    }
}
