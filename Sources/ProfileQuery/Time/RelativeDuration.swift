/// Prometheus-style durations such as `1h30m` or `500ms`, read after the sign of a relative time.
///
/// A duration is one or more `<digits><unit>` groups with units `y` (365 days), `w`, `d`, `h`, `m`, `s` and `ms`,
/// each used at most once and from largest to smallest, as Prometheus requires.
enum RelativeDuration {
    /// The units, largest first.
    private static let units: [(name: String, nanoseconds: Int64)] = [
        ("y", 365 * 86_400 * RFC3339.nanosecondsPerSecond),
        ("w", 7 * 86_400 * RFC3339.nanosecondsPerSecond),
        ("d", 86_400 * RFC3339.nanosecondsPerSecond),
        ("h", 3_600 * RFC3339.nanosecondsPerSecond),
        ("m", 60 * RFC3339.nanosecondsPerSecond),
        ("s", RFC3339.nanosecondsPerSecond),
        ("ms", 1_000_000),
    ]

    /// The unit names for messages: `ms, s, m, h, d, w or y`.
    static let unitList = "ms, s, m, h, d, w or y"

    /// Reads a duration at the cursor, up to the end of the input (trailing whitespace allowed), as nanoseconds.
    ///
    /// - Parameter sign: the sign that preceded the duration, for messages (`-` or `+`).
    static func parse(_ cursor: inout ScalarCursor, sign: Unicode.Scalar) throws(QueryError) -> Int64 {
        guard cursor.peek().flatMap(RFC3339.digitValue) != nil else {
            throw cursor.error(
                .invalidTime, "expected a number after '\(sign)', as in \(sign)1h or \(sign)30m, found \(cursor.found)")
        }
        var total: Int64 = 0
        var previousUnit = -1
        while let scalar = cursor.peek(), !scalar.properties.isWhitespace {
            let numberStart = cursor.index
            var number: Int64 = 0
            while let digit = cursor.peek().flatMap(RFC3339.digitValue) {
                let (shifted, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { throw tooLong(cursor, at: numberStart) }
                number = sum
                cursor.advance()
            }
            guard cursor.index > numberStart else {
                throw cursor.error(.invalidTime, "expected a number or the end of the time, found \(cursor.found)")
            }
            let unitStart = cursor.index
            var name = ""
            while let letter = cursor.peek(), letter.properties.isAlphabetic {
                name.unicodeScalars.append(letter)
                cursor.advance()
            }
            guard !name.isEmpty else {
                throw cursor.error(
                    .invalidTime, "expected a unit (\(unitList)) after \(number), found \(cursor.found)")
            }
            guard let unit = units.firstIndex(where: { $0.name == name }) else {
                throw cursor.error(
                    .invalidTime, "unknown unit \(QuotedString.quote(name)); use \(unitList)", at: unitStart)
            }
            guard unit > previousUnit else {
                throw cursor.error(
                    .invalidTime,
                    "units must go from largest to smallest, each at most once, as in -1h30m", at: unitStart)
            }
            previousUnit = unit
            let (nanoseconds, overflow1) = number.multipliedReportingOverflow(by: units[unit].nanoseconds)
            let (sum, overflow2) = total.addingReportingOverflow(nanoseconds)
            guard !overflow1, !overflow2 else { throw tooLong(cursor, at: numberStart) }
            total = sum
        }
        try RFC3339.expectEnd(&cursor, after: "the duration")
        return total
    }

    private static func tooLong(_ cursor: ScalarCursor, at index: Int) -> QueryError {
        cursor.error(.invalidTime, "the duration is too long (at most about 292 years)", at: index)
    }
}
