/// A read position in text being parsed, one Unicode scalar at a time.
///
/// Parsers work on scalars so that a quote followed by a combining mark is still a quote; errors convert the scalar
/// offset to a `Character` offset with ``error(_:_:at:)``, which is what a person counts and what a caret line needs.
struct ScalarCursor {
    /// The whole input.
    let text: String
    /// The input's scalars.
    let scalars: [Unicode.Scalar]
    /// Index into ``scalars`` of the next scalar to read.
    var index = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    /// True when every scalar has been read.
    var isAtEnd: Bool { index >= scalars.count }

    /// The scalar `offset` places ahead of the read position, or nil past the end.
    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let at = index + offset
        return at < scalars.count ? scalars[at] : nil
    }

    /// Moves past `count` scalars.
    mutating func advance(by count: Int = 1) {
        index = min(index + count, scalars.count)
    }

    /// Moves past `scalar` and returns true if it is next; otherwise stays put and returns false.
    mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard peek() == scalar else { return false }
        index += 1
        return true
    }

    /// Moves past any whitespace.
    mutating func skipWhitespace() {
        while let scalar = peek(), scalar.properties.isWhitespace {
            index += 1
        }
    }

    /// The next scalar, described for an error message: `'x'` or `end of input`.
    var found: String {
        guard let scalar = peek() else { return "end of input" }
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            return "'\(scalar.escaped(asASCII: true))'"
        }
        return "'\(scalar)'"
    }

    /// A ``QueryError`` about the scalar at `scalarIndex` (the read position by default).
    func error(_ code: QueryError.Code, _ message: String, at scalarIndex: Int? = nil) -> QueryError {
        QueryError(code, message, position: characterOffset(ofScalar: scalarIndex ?? index), input: text)
    }

    /// The number of `Character`s before the scalar at `scalarIndex`.
    func characterOffset(ofScalar scalarIndex: Int) -> Int {
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[..<min(max(scalarIndex, 0), scalars.count)])
        return String(prefix).count
    }
}
