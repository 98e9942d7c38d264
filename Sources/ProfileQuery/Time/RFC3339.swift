/// RFC 3339 timestamps (`2026-11-25T08:00:00.123456789+01:00`) to and from nanoseconds since the Unix epoch.
///
/// Accepted: `T`, `t` or a space between date and time; `Z`, `z` or a `±hh:mm` offset; 1 to 9 fractional-second
/// digits. Fields are range-checked (month 1-12, day within its month including February 29 of leap years, hour
/// 0-23, minute 0-59, second 0-60 where 60 is a leap second that lands on the next minute's :00).
enum RFC3339 {
    static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Parses the timestamp at the cursor; only whitespace may follow it.
    static func parse(_ cursor: inout ScalarCursor) throws(QueryError) -> Int64 {
        let year = try readNumber(&cursor, digits: 4, field: "year")
        try expect("-", &cursor, after: "the year")
        let month = try readNumber(&cursor, digits: 2, field: "month", in: 1...12)
        try expect("-", &cursor, after: "the month")
        let dayRange = 1...CivilDate.daysInMonth(month, year: year)
        let day = try readNumber(
            &cursor, digits: 2, field: "day", in: dayRange,
            rangeNote: " for \(monthNames[Int(month - 1)]) \(year)")
        guard let separator = cursor.peek(), separator == "T" || separator == "t" || separator == " " else {
            throw cursor.error(
                .invalidTime,
                "expected 'T' and a time of day after the date, as in 2026-11-25T08:00:00Z, found \(cursor.found)")
        }
        cursor.advance()
        let hour = try readNumber(&cursor, digits: 2, field: "hour", in: 0...23)
        try expect(":", &cursor, after: "the hour")
        let minute = try readNumber(&cursor, digits: 2, field: "minute", in: 0...59)
        try expect(":", &cursor, after: "the minute")
        let second = try readNumber(&cursor, digits: 2, field: "second", in: 0...60)
        var fraction = try readFraction(&cursor)
        let offset = try readOffset(&cursor)
        try expectEnd(&cursor, after: "the time zone")

        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        var seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        if seconds < 0 && fraction > 0 {
            // Borrow a second so that the earliest representable instants do not overflow on the way.
            seconds += 1
            fraction -= nanosecondsPerSecond
        }
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: nanosecondsPerSecond)
        let (total, overflow2) = nanoseconds.addingReportingOverflow(fraction)
        guard !overflow, !overflow2 else { throw outOfRange(cursor) }
        return total
    }

    /// `nanoseconds` since the epoch as an RFC 3339 UTC timestamp, with as many fractional digits as needed (none
    /// for whole seconds). ``parse(_:)`` reads it back to the same value.
    static func format(_ nanoseconds: Int64) -> String {
        let (seconds, fraction) = floorDivide(nanoseconds, nanosecondsPerSecond)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        var text = pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2) + "T"
        text += pad(secondOfDay / 3_600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fraction != 0 {
            var digits = pad(fraction, 9)[...]
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// The error for a valid timestamp that an `Int64` of nanoseconds cannot hold.
    static func outOfRange(_ cursor: ScalarCursor) -> QueryError {
        cursor.error(
            .invalidTime,
            "the time is outside the range of 64-bit nanosecond timestamps (\(format(.min)) to \(format(.max)))",
            at: 0)
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Exactly `digits` ASCII digits as the value of `field`, checked against `range` (errors point at the first
    /// digit).
    private static func readNumber(
        _ cursor: inout ScalarCursor, digits: Int, field: String, in range: ClosedRange<Int64>? = nil,
        rangeNote: String = ""
    ) throws(QueryError) -> Int64 {
        let start = cursor.index
        var value: Int64 = 0
        for _ in 0..<digits {
            guard let digit = cursor.peek().flatMap(digitValue) else {
                throw cursor.error(.invalidTime, "expected a \(digits)-digit \(field), found \(cursor.found)")
            }
            value = value * 10 + digit
            cursor.advance()
        }
        if let range, !range.contains(value) {
            throw cursor.error(
                .invalidTime,
                "\(field) \(value) is out of range\(rangeNote) (\(range.lowerBound)-\(range.upperBound))",
                at: start)
        }
        return value
    }

    /// `.` and 1 to 9 digits, as nanoseconds; 0 when there is no `.`.
    private static func readFraction(_ cursor: inout ScalarCursor) throws(QueryError) -> Int64 {
        guard cursor.consume(".") else { return 0 }
        var value: Int64 = 0
        var count = 0
        while let digit = cursor.peek().flatMap(digitValue) {
            guard count < 9 else {
                throw cursor.error(.invalidTime, "at most 9 fractional-second digits (nanoseconds) are allowed")
            }
            value = value * 10 + digit
            count += 1
            cursor.advance()
        }
        guard count > 0 else {
            throw cursor.error(.invalidTime, "expected fractional-second digits after '.', found \(cursor.found)")
        }
        for _ in count..<9 { value *= 10 }
        return value
    }

    /// `Z` or `±hh:mm`, as seconds east of UTC.
    private static func readOffset(_ cursor: inout ScalarCursor) throws(QueryError) -> Int64 {
        if cursor.consume("Z") || cursor.consume("z") { return 0 }
        let sign: Int64
        if cursor.consume("+") {
            sign = 1
        } else if cursor.consume("-") {
            sign = -1
        } else {
            throw cursor.error(
                .invalidTime,
                "expected 'Z' or a UTC offset such as +01:00 (RFC 3339 times need a time zone), found \(cursor.found)")
        }
        let hours = try readNumber(&cursor, digits: 2, field: "offset hour", in: 0...23)
        try expect(":", &cursor, after: "the offset hour")
        let minutes = try readNumber(&cursor, digits: 2, field: "offset minute", in: 0...59)
        return sign * (hours * 3_600 + minutes * 60)
    }

    private static func expect(_ scalar: Unicode.Scalar, _ cursor: inout ScalarCursor, after what: String)
        throws(QueryError)
    {
        guard cursor.consume(scalar) else {
            throw cursor.error(.invalidTime, "expected '\(scalar)' after \(what), found \(cursor.found)")
        }
    }

    /// Skips trailing whitespace and requires the end of the input.
    static func expectEnd(_ cursor: inout ScalarCursor, after what: String) throws(QueryError) {
        cursor.skipWhitespace()
        guard cursor.isAtEnd else {
            throw cursor.error(.invalidTime, "unexpected \(cursor.found) after \(what)")
        }
    }

    /// The value of an ASCII digit, or nil.
    static func digitValue(_ scalar: Unicode.Scalar) -> Int64? {
        ("0"..."9").contains(scalar) ? Int64(scalar.value - 48) : nil
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
