/// Reads ``Selector`` syntax into matchers; see ``Selector/init(parsing:)`` for the grammar and the errors.
struct SelectorParser {
    private var cursor: ScalarCursor

    init(_ text: String) {
        cursor = ScalarCursor(text)
    }

    /// The matchers of the whole text, which must be one selector and nothing else.
    mutating func parse() throws(QueryError) -> [LabelMatcher] {
        cursor.skipWhitespace()
        if cursor.isAtEnd { return [] }
        guard cursor.consume("{") else {
            throw cursor.error(
                .invalidSelector, "expected '{' to start the selector, as in {comm=\"python3\"}, found \(cursor.found)")
        }
        var matchers: [LabelMatcher] = []
        while true {
            cursor.skipWhitespace()
            if cursor.consume("}") { break }
            matchers.append(try parseMatcher())
            cursor.skipWhitespace()
            if cursor.consume(",") { continue }
            if cursor.consume("}") { break }
            throw cursor.error(.invalidSelector, "expected ',' or '}' after a matcher, found \(cursor.found)")
        }
        cursor.skipWhitespace()
        guard cursor.isAtEnd else {
            throw cursor.error(.invalidSelector, "unexpected \(cursor.found) after the closing '}'")
        }
        return matchers
    }

    /// `name op "value"`, starting at the name.
    private mutating func parseMatcher() throws(QueryError) -> LabelMatcher {
        let name = try parseName()
        cursor.skipWhitespace()
        guard let op = parseOperator() else {
            throw cursor.error(
                .invalidSelector,
                "expected '=', '!=', '=~' or '!~' after label name \(QuotedString.quote(name))")
        }
        cursor.skipWhitespace()
        let valueStart = cursor.index
        let value = try QuotedString.read(from: &cursor, after: "'\(op.rawValue)'")
        do {
            return try LabelMatcher(name: name, op: op, value: value)
        } catch {
            throw cursor.error(error.code, error.message, at: valueStart)
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    private mutating func parseName() throws(QueryError) -> String {
        guard cursor.peek().map(LabelMatcher.isNameStart) == true else {
            let hint =
                cursor.peek().map { ("0"..."9").contains($0) } == true ? " (names cannot start with a digit)" : ""
            throw cursor.error(.invalidSelector, "expected a label name or '}', found \(cursor.found)\(hint)")
        }
        var name = String.UnicodeScalarView()
        while let scalar = cursor.peek(), LabelMatcher.isNameContinuation(scalar) {
            name.append(scalar)
            cursor.advance()
        }
        return String(name)
    }

    /// One of `=~`, `!~`, `!=`, `=`, or nil (without moving) when none is next.
    private mutating func parseOperator() -> LabelMatcher.Operator? {
        switch (cursor.peek(), cursor.peek(1)) {
        case ("=", "~"):
            cursor.advance(by: 2)
            return .regexMatch
        case ("!", "~"):
            cursor.advance(by: 2)
            return .regexNoMatch
        case ("!", "="):
            cursor.advance(by: 2)
            return .notEqual
        case ("=", _):
            cursor.advance()
            return .equal
        default:
            return nil
        }
    }
}
