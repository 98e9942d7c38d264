/// Why a selector, a time expression or a time range was rejected.
///
/// ``message`` is one line for a person and says what was expected, e.g.
/// `expected '=', '!=', '=~' or '!~' after label name "comm"`. ``position`` is the 0-based offset, in `Character`s,
/// of the offending character in ``input`` (``input``'s character count when the input ended too early).
/// ``description`` renders both for a terminal; positions are shown 1-based there, as editors count columns:
///
/// ```
/// bad selector at character 7: expected '=', '!=', '=~' or '!~' after label name "comm"
/// {comm ~ "x"}
///       ^
/// ```
public struct QueryError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The selector text does not follow the label-matcher grammar, or a label name is invalid.
        case invalidSelector
        /// The value of a `=~` or `!~` matcher is not a valid regular expression.
        case invalidRegex
        /// A time expression is not one of the accepted forms, or a field is out of range.
        case invalidTime
        /// A time range ends before it starts.
        case invalidTimeRange
    }

    /// The kind of failure.
    public var code: Code
    /// One line describing the failure, for a person; does not repeat ``input`` or ``position``.
    public var message: String
    /// 0-based `Character` offset of the offending character in ``input``; 0 for ``Code/invalidTimeRange``.
    public var position: Int
    /// The text that was being parsed; empty for ``Code/invalidTimeRange``.
    public var input: String

    public init(_ code: Code, _ message: String, position: Int = 0, input: String = "") {
        self.code = code
        self.message = message
        self.position = position
        self.input = input
    }

    /// The message with its 1-based position; for selectors also the input and a caret line under the offending
    /// character.
    public var description: String {
        switch code {
        case .invalidSelector, .invalidRegex:
            let caret = String(repeating: " ", count: max(position, 0)) + "^"
            return "bad selector at character \(position + 1): \(message)\n\(Self.echo(input))\n\(caret)"
        case .invalidTime:
            return "bad time \(QuotedString.quote(input)) at character \(position + 1): \(message)"
        case .invalidTimeRange:
            return "bad time range: \(message)"
        }
    }

    /// `text` on one line: every newline and control character becomes one space, so columns stay aligned.
    private static func echo(_ text: String) -> String {
        String(
            text.map { character in
                let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
                return character.isNewline || isControl ? " " : character
            })
    }
}
