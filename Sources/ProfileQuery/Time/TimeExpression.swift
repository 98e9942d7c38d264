/// The time forms accepted by `--from`/`--to` and the HTTP API's `from`/`to`, as nanoseconds since the Unix epoch.
///
/// | Form | Example | Meaning |
/// |------|---------|---------|
/// | `now` | `now` | the reference time |
/// | relative | `-1h`, `-1h30m`, `-500ms`, `now-7d`, `+10m` | the reference time minus / plus a duration |
/// | RFC 3339 | `2026-11-25T08:00:00Z`, `2026-11-25T08:00:00.123456789+01:00` | that instant |
/// | Unix seconds | `1764057600` | that many seconds after 1970-01-01T00:00:00Z |
///
/// Durations use the units `ms`, `s`, `m`, `h`, `d`, `w` and `y` (365 days), largest first (see `RelativeDuration`).
/// RFC 3339 needs a time zone (`Z` or `±hh:mm`) and allows up to 9 fractional-second digits; every field is
/// range-checked, including February 29 in leap years. Whitespace around the expression is ignored.
public enum TimeExpression {
    /// What the parser accepts, for messages.
    static let acceptedForms =
        "expected 'now', a relative time such as -1h, -1h30m, now-30m or +10m, an RFC 3339 time such as "
        + "2026-11-25T08:00:00Z, or Unix seconds such as 1764057600"

    /// Nanoseconds since the Unix epoch for `text`.
    ///
    /// - Parameter now: the reference for `now` and relative forms, in nanoseconds since the Unix epoch.
    /// - Throws: ``QueryError/Code/invalidTime`` pointing at the offending character, saying which forms are
    ///   accepted when the text is none of them; also when the result does not fit in an `Int64`.
    public static func parse(_ text: String, now: Int64) throws(QueryError) -> Int64 {
        var cursor = ScalarCursor(text)
        cursor.skipWhitespace()
        guard let first = cursor.peek() else {
            throw cursor.error(.invalidTime, "the time is empty; \(acceptedForms)")
        }
        if first == "n", cursor.peek(1) == "o", cursor.peek(2) == "w" {
            cursor.advance(by: 3)
            cursor.skipWhitespace()
            if cursor.isAtEnd { return now }
            guard cursor.peek() == "-" || cursor.peek() == "+" else {
                throw cursor.error(
                    .invalidTime, "expected '-' or '+' and a duration after 'now', as in now-1h, found \(cursor.found)")
            }
            return try relative(&cursor, now: now)
        }
        if first == "-" || first == "+" {
            return try relative(&cursor, now: now)
        }
        guard RFC3339.digitValue(first) != nil else {
            throw cursor.error(.invalidTime, acceptedForms)
        }
        var digits = 0
        while cursor.peek(digits).flatMap(RFC3339.digitValue) != nil { digits += 1 }
        if digits == 4 && cursor.peek(4) == "-" {
            return try RFC3339.parse(&cursor)
        }
        return try unixSeconds(&cursor, digits: digits)
    }

    /// `now` plus or minus the duration at the cursor, which is at the sign.
    private static func relative(_ cursor: inout ScalarCursor, now: Int64) throws(QueryError) -> Int64 {
        let sign = cursor.peek() ?? "-"
        cursor.advance()
        cursor.skipWhitespace()
        let duration = try RelativeDuration.parse(&cursor, sign: sign)
        let (result, overflow) =
            sign == "-" ? now.subtractingReportingOverflow(duration) : now.addingReportingOverflow(duration)
        guard !overflow else { throw RFC3339.outOfRange(cursor) }
        return result
    }

    /// A Unix time in whole seconds: the `digits` digits at the cursor and nothing else.
    private static func unixSeconds(_ cursor: inout ScalarCursor, digits: Int) throws(QueryError) -> Int64 {
        let start = cursor.index
        var seconds: Int64 = 0
        var overflow = false
        for _ in 0..<digits {
            let digit = cursor.peek().flatMap(RFC3339.digitValue) ?? 0
            let (shifted, overflow1) = seconds.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            overflow = overflow || overflow1 || overflow2
            seconds = sum
            cursor.advance()
        }
        if let next = cursor.peek(), next.properties.isAlphabetic {
            let sample = String(String.UnicodeScalarView(cursor.scalars[start...])).split(separator: " ").first ?? ""
            throw cursor.error(
                .invalidTime,
                "a relative time needs a sign: write -\(sample) for the past or +\(sample) for the future",
                at: start)
        }
        if cursor.peek() == "." {
            throw cursor.error(.invalidTime, "Unix times are whole seconds; for fractions use RFC 3339")
        }
        cursor.skipWhitespace()
        guard cursor.isAtEnd else {
            throw cursor.error(.invalidTime, "unexpected \(cursor.found) after the number; \(acceptedForms)")
        }
        let (nanoseconds, overflow3) = seconds.multipliedReportingOverflow(by: RFC3339.nanosecondsPerSecond)
        guard !overflow, !overflow3 else { throw RFC3339.outOfRange(cursor) }
        return nanoseconds
    }

    /// `nanoseconds` since the epoch as an RFC 3339 UTC timestamp (`2026-11-25T08:00:00.5Z`) that ``parse(_:now:)``
    /// reads back to the same value; fractional digits appear only when needed.
    public static func rfc3339(_ nanoseconds: Int64) -> String {
        RFC3339.format(nanoseconds)
    }
}
