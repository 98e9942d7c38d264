/// What a ``LabelMatcher`` tests a label value against, chosen once when the matcher is built.
///
/// Regular expressions that are really plain strings, alternations of plain strings, `.*`, `.+` or a plain prefix
/// followed by `.*` are answered with string operations instead of the regex engine, as Prometheus's
/// `FastRegexMatcher` does; the answers are the same because matching is anchored and `.` matches every character.
enum ValuePattern: Sendable {
    /// Equal to the string. `number` is the string as an `Int64` when it is exactly that integer's decimal form, so
    /// numeric labels compare without formatting.
    case literal(String, number: Int64?)
    /// One of the strings.
    case oneOf(Set<String>)
    /// Starts with the string.
    case prefix(String)
    /// Any value, including the empty one.
    case any
    /// Any nonempty value.
    case nonEmpty
    /// The regex matches the whole value.
    case regex(CompiledRegex)

    /// The pattern for an `=` or `!=` matcher.
    static func equal(to value: String) -> ValuePattern {
        let number = Int64(value).flatMap { String($0) == value ? $0 : nil }
        return .literal(value, number: number)
    }

    /// The pattern for an `=~` or `!~` matcher.
    ///
    /// - Throws: the regex parse error when `pattern` is not a valid regular expression.
    static func regex(_ pattern: String) throws -> ValuePattern {
        let compiled = try CompiledRegex(pattern)
        let metacharacters = Set<Unicode.Scalar>(#"\.+*?()|[]{}^$"#.unicodeScalars)
        func isPlain(_ text: Substring) -> Bool {
            !text.unicodeScalars.contains(where: metacharacters.contains)
        }
        if pattern == ".*" { return .any }
        if pattern == ".+" { return .nonEmpty }
        if isPlain(pattern[...]) { return .equal(to: pattern) }
        if pattern.hasSuffix(".*"), isPlain(pattern.dropLast(2)) { return .prefix(String(pattern.dropLast(2))) }
        let alternatives = pattern.split(separator: "|", omittingEmptySubsequences: false)
        if alternatives.allSatisfy(isPlain) { return .oneOf(Set(alternatives.map(String.init))) }
        return .regex(compiled)
    }

    /// Whether a label with this value (a string, or a number compared by its decimal form) matches.
    func matches(string: String?, number: Int64?) -> Bool {
        if case .literal(_, let literalNumber) = self, string == nil, let number {
            return literalNumber == number
        }
        return matches(string ?? number.map { String($0) } ?? "")
    }

    /// Whether `value` matches.
    func matches(_ value: String) -> Bool {
        switch self {
        case .literal(let text, _): value == text
        case .oneOf(let texts): texts.contains(value)
        case .prefix(let text): value.hasPrefix(text)
        case .any: true
        case .nonEmpty: !value.isEmpty
        case .regex(let regex): regex.matches(value)
        }
    }
}
