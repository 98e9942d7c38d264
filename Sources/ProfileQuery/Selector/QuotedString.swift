/// PromQL string literals: reading them from a ``ScalarCursor`` and writing values back as literals.
///
/// Three quotes are accepted, as in PromQL. Double- and single-quoted strings take Go's escapes: `\a \b \f \n \r \t
/// \v \\`, the string's own quote (`\"` or `\'`), `\xHH` (ASCII only, since one byte above `7f` is not a character),
/// `\uHHHH` and `\UHHHHHHHH`. Backtick strings are raw: no escapes, which suits regular expressions (`` `a\.b` ``).
enum QuotedString {
    /// Reads a quoted string starting at the cursor, which must be at its opening quote, and returns its value.
    ///
    /// - Throws: ``QueryError/Code/invalidSelector`` for a missing opening quote, a missing closing quote (pointing
    ///   at the opening one) or an unknown or malformed escape (pointing at its backslash).
    static func read(from cursor: inout ScalarCursor, after context: String) throws(QueryError) -> String {
        guard let quote = cursor.peek(), quote == "\"" || quote == "'" || quote == "`" else {
            throw cursor.error(.invalidSelector, "expected a quoted string after \(context), found \(cursor.found)")
        }
        let start = cursor.index
        cursor.advance()
        var value = String.UnicodeScalarView()
        while let scalar = cursor.peek() {
            if scalar == quote {
                cursor.advance()
                return String(value)
            }
            if scalar == "\\" && quote != "`" {
                value.append(try readEscape(from: &cursor, quote: quote))
            } else {
                value.append(scalar)
                cursor.advance()
            }
        }
        throw cursor.error(
            .invalidSelector, "unterminated string: no closing \(quote) for the quote here", at: start)
    }

    /// The escapes that stand for one fixed scalar, by the letter after the backslash.
    private static let simpleEscapes: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}", "\\": "\\",
    ]

    /// Reads one escape sequence at the cursor (at its backslash) and returns the scalar it stands for.
    private static func readEscape(from cursor: inout ScalarCursor, quote: Unicode.Scalar) throws(QueryError)
        -> Unicode.Scalar
    {
        let backslash = cursor.index
        guard let letter = cursor.peek(1) else {
            throw cursor.error(.invalidSelector, "unterminated string: it ends in a lone backslash", at: backslash)
        }
        if let scalar = letter == quote ? quote : simpleEscapes[letter] {
            cursor.advance(by: 2)
            return scalar
        }
        let digits: Int
        switch letter {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default:
            throw cursor.error(
                .invalidSelector,
                "unknown escape sequence '\\\(letter)' (write '\\\\' for a backslash, or quote the value with "
                    + "backticks to turn escapes off)",
                at: backslash)
        }
        var code: UInt32 = 0
        for offset in 2..<(2 + digits) {
            guard let digit = cursor.peek(offset).flatMap({ UInt32(String($0), radix: 16) }) else {
                throw cursor.error(
                    .invalidSelector, "escape '\\\(letter)' needs exactly \(digits) hexadecimal digits",
                    at: backslash)
            }
            code = code << 4 | digit
        }
        guard let scalar = Unicode.Scalar(code), letter != "x" || code < 0x80 else {
            throw cursor.error(
                .invalidSelector,
                letter == "x"
                    ? "escape '\\x' only encodes ASCII (00-7f); use '\\u' for other characters"
                    : "escape '\\\(letter)' does not name a Unicode character",
                at: backslash)
        }
        cursor.advance(by: 2 + digits)
        return scalar
    }

    /// `value` as a double-quoted literal that ``read(from:after:)`` reads back to `value`.
    static func quote(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.properties.generalCategory == .control {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
