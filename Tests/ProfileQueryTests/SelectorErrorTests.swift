import ProfileQuery
import Testing

/// Every rejected selector names the problem and points at the offending character.
@Suite struct SelectorErrorTests {
    private func expectError(
        _ text: String, at position: Int, _ message: String, code: QueryError.Code = .invalidSelector,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = selectorError(text, sourceLocation: sourceLocation) else { return }
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.position == position, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.input == text, sourceLocation: sourceLocation)
    }

    @Test func caretRendering() {
        let error = selectorError(#"{comm ~ "x"}"#)
        #expect(
            error?.description == """
                bad selector at character 7: expected '=', '!=', '=~' or '!~' after label name "comm"
                {comm ~ "x"}
                      ^
                """)
    }

    @Test func caretAtEndOfInput() {
        #expect(
            selectorError(#"{comm="x""#)?.description == """
                bad selector at character 10: expected ',' or '}' after a matcher, found end of input
                {comm="x"
                         ^
                """)
    }

    @Test func caretStaysAlignedAcrossNewlinesAndTabs() {
        #expect(
            selectorError("{\n\tcomm ~ \"x\"}")?.description == """
                bad selector at character 9: expected '=', '!=', '=~' or '!~' after label name "comm"
                {  comm ~ "x"}
                        ^
                """)
    }

    @Test func missingBraces() {
        expectError(#"comm="x"}"#, at: 0, #"expected '{' to start the selector, as in {comm="python3"}, found 'c'"#)
        expectError(#"  comm="x""#, at: 2, #"expected '{' to start the selector, as in {comm="python3"}, found 'c'"#)
        expectError(#"{comm="x""#, at: 9, "expected ',' or '}' after a matcher, found end of input")
        expectError(#"{comm="x","#, at: 10, "expected a label name or '}', found end of input")
        expectError("{", at: 1, "expected a label name or '}', found end of input")
        expectError("{  ", at: 3, "expected a label name or '}', found end of input")
        expectError("}", at: 0, #"expected '{' to start the selector, as in {comm="python3"}, found '}'"#)
    }

    @Test func unterminatedString() {
        expectError(#"{comm="x}"#, at: 6, #"unterminated string: no closing " for the quote here"#)
        expectError(#"{a="1", comm='x"}"#, at: 13, "unterminated string: no closing ' for the quote here")
        expectError("{comm=`x}", at: 6, "unterminated string: no closing ` for the quote here")
        #expect((try? Selector(parsing: "{comm=`x\\`}"))?.matchers.first?.value == "x\\", "backticks have no escapes")
        expectError(#"{comm="x\"}"#, at: 6, #"unterminated string: no closing " for the quote here"#)
        expectError(#"{comm="x\"#, at: 8, "unterminated string: it ends in a lone backslash")
    }

    @Test func badEscapes() {
        let unknown = "(write '\\\\' for a backslash, or quote the value with backticks to turn escapes off)"
        expectError(#"{comm="a\qb"}"#, at: 8, "unknown escape sequence '\\q' \(unknown)")
        expectError(#"{comm=~"a\.b"}"#, at: 9, "unknown escape sequence '\\.' \(unknown)")
        expectError(#"{a="\'"}"#, at: 4, "unknown escape sequence '\\'' \(unknown)")
        expectError(#"{a='\"'}"#, at: 4, "unknown escape sequence '\\\"' \(unknown)")
        expectError(#"{a="\x4"}"#, at: 4, "escape '\\x' needs exactly 2 hexadecimal digits")
        expectError(#"{a="\u12g4"}"#, at: 4, "escape '\\u' needs exactly 4 hexadecimal digits")
        expectError(#"{a="\U0001F52"}"#, at: 4, "escape '\\U' needs exactly 8 hexadecimal digits")
        expectError(#"{a="\x80"}"#, at: 4, "escape '\\x' only encodes ASCII (00-7f); use '\\u' for other characters")
        expectError(#"{a="\uD800"}"#, at: 4, "escape '\\u' does not name a Unicode character")
        expectError(#"{a="\U00110000"}"#, at: 4, "escape '\\U' does not name a Unicode character")
    }

    @Test func badLabelNames() {
        expectError(#"{="x"}"#, at: 1, "expected a label name or '}', found '='")
        expectError(#"{ ="x"}"#, at: 2, "expected a label name or '}', found '='")
        expectError(#"{1a="x"}"#, at: 1, "expected a label name or '}', found '1' (names cannot start with a digit)")
        expectError(#"{"comm"="x"}"#, at: 1, #"expected a label name or '}', found '"'"#)
        expectError(#"{a="1",,}"#, at: 7, "expected a label name or '}', found ','")
        expectError(#"{,}"#, at: 1, "expected a label name or '}', found ','")
        expectError(#"{é="x"}"#, at: 1, "expected a label name or '}', found 'é'")
    }

    @Test func unknownOperators() {
        let expected = #"expected '=', '!=', '=~' or '!~' after label name "comm""#
        expectError(#"{comm ~ "x"}"#, at: 6, expected)
        expectError(#"{comm<"x"}"#, at: 5, expected)
        expectError(#"{comm ! "x"}"#, at: 6, expected)
        expectError(#"{comm}"#, at: 5, expected)
        expectError(#"{co-mm="x"}"#, at: 3, #"expected '=', '!=', '=~' or '!~' after label name "co""#)
        expectError(#"{comm=="x"}"#, at: 6, "expected a quoted string after '=', found '='")
        expectError(#"{comm=~~"x"}"#, at: 7, "expected a quoted string after '=~', found '~'")
    }

    @Test func missingValues() {
        expectError(#"{comm=}"#, at: 6, "expected a quoted string after '=', found '}'")
        expectError(#"{comm!= python}"#, at: 8, "expected a quoted string after '!=', found 'p'")
        expectError(#"{comm!~"#, at: 7, "expected a quoted string after '!~', found end of input")
    }

    @Test func missingComma() {
        expectError(#"{a="1" b="2"}"#, at: 7, "expected ',' or '}' after a matcher, found 'b'")
        expectError(#"{a="1";b="2"}"#, at: 6, "expected ',' or '}' after a matcher, found ';'")
    }

    @Test func trailingGarbage() {
        expectError(#"{comm="x"} foo"#, at: 11, "unexpected 'f' after the closing '}'")
        expectError("{}}", at: 2, "unexpected '}' after the closing '}'")
        expectError(#"{}{a="1"}"#, at: 2, "unexpected '{' after the closing '}'")
        expectError("{}\u{0}", at: 2, "unexpected '\\0' after the closing '}'")
    }

    @Test func invalidRegexPointsAtTheValue() {
        expectError(#"{comm=~"a("}"#, at: 7, #"invalid regular expression "a(": expected ')'"#, code: .invalidRegex)
        expectRegexError(#"{a="1", comm !~  "[a"}"#, at: 17)
        expectRegexError(#"{comm=~"*"}"#, at: 7)
        expectRegexError(#"{comm=~`a{2,1}`}"#, at: 7)
        // The same text is fine for = and != (no regex).
        #expect((try? Selector(parsing: #"{comm="a(", comm!="*"}"#)) != nil)
    }

    @Test func positionsCountCharacters() {
        let expected = #"expected '=', '!=', '=~' or '!~' after label name "b""#
        expectError(#"{a="日本", b ~ "x"}"#, at: 11, expected)
        expectError("{a=\"e\u{301}\", b~\"x\"}", at: 9, expected)
        expectError(#"{a="🔥🔥", b ~ "x"}"#, at: 11, expected)
    }

    @Test func programmaticMatchersAreValidated() {
        let badName = queryError { () throws(QueryError) in try LabelMatcher(name: "1x", op: .equal, value: "") }
        #expect(badName?.code == .invalidSelector)
        #expect(badName?.message == #""1x" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)"#)
        let badRegex = queryError { () throws(QueryError) in try LabelMatcher(name: "x", op: .regexMatch, value: "(") }
        #expect(badRegex?.code == .invalidRegex)
        #expect(badRegex?.position == 0)
        #expect(badRegex?.input == "(")
    }

    /// The standard library words regex errors itself; check only our part of the message.
    private func expectRegexError(_ text: String, at position: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = selectorError(text, sourceLocation: sourceLocation) else { return }
        #expect(error.code == .invalidRegex, sourceLocation: sourceLocation)
        #expect(error.position == position, sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix("invalid regular expression "), sourceLocation: sourceLocation)
        #expect(
            error.description.hasPrefix("bad selector at character \(position + 1): invalid regular expression "),
            sourceLocation: sourceLocation)
    }
}
