import ProfileQuery
import Testing

/// Every rejected time names the problem and points at the offending character.
@Suite struct TimeExpressionErrorTests {
    private static let accepted =
        "expected 'now', a relative time such as -1h, -1h30m, now-30m or +10m, an RFC 3339 time such as "
        + "2026-11-25T08:00:00Z, or Unix seconds such as 1764057600"
    private static let units = "ms, s, m, h, d, w or y"
    private static let outOfRange =
        "the time is outside the range of 64-bit nanosecond timestamps "
        + "(1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z)"

    private func expectError(
        _ text: String, at position: Int, _ message: String, now: Int64 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = queryError(
            { () throws(QueryError) in try TimeExpression.parse(text, now: now) }, sourceLocation: sourceLocation)
        guard let error else { return }
        #expect(error.code == .invalidTime, sourceLocation: sourceLocation)
        #expect(error.position == position, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.input == text, sourceLocation: sourceLocation)
    }

    @Test func description() {
        #expect(
            timeError("2026-13-01T00:00:00Z")?.description
                == #"bad time "2026-13-01T00:00:00Z" at character 6: month 13 is out of range (1-12)"#)
        #expect(timeError("soon")?.description == #"bad time "soon" at character 1: \#(Self.accepted)"#)
    }

    @Test func garbage() {
        expectError("", at: 0, "the time is empty; \(Self.accepted)")
        expectError("   ", at: 3, "the time is empty; \(Self.accepted)")
        expectError("yesterday", at: 0, Self.accepted)
        expectError("  later", at: 2, Self.accepted)
        expectError("NOW", at: 0, Self.accepted)
        expectError("2026/11/25", at: 4, "unexpected '/' after the number; \(Self.accepted)")
        expectError("12 34", at: 3, "unexpected '3' after the number; \(Self.accepted)")
    }

    @Test func unixSeconds() {
        expectError("1h", at: 0, "a relative time needs a sign: write -1h for the past or +1h for the future")
        expectError("1h30m", at: 0, "a relative time needs a sign: write -1h30m for the past or +1h30m for the future")
        expectError("1764057600.5", at: 10, "Unix times are whole seconds; for fractions use RFC 3339")
        expectError("9223372037", at: 0, Self.outOfRange)
        expectError("99999999999999999999999", at: 0, Self.outOfRange)
    }

    @Test func relative() {
        expectError("-", at: 1, "expected a number after '-', as in -1h or -30m, found end of input")
        expectError("+h", at: 1, "expected a number after '+', as in +1h or +30m, found 'h'")
        expectError("--1h", at: 1, "expected a number after '-', as in -1h or -30m, found '-'")
        expectError("-1", at: 2, "expected a unit (\(Self.units)) after 1, found end of input")
        expectError("-1.5h", at: 2, "expected a unit (\(Self.units)) after 1, found '.'")
        expectError("-1x", at: 2, #"unknown unit "x"; use \#(Self.units)"#)
        expectError("-1hour", at: 2, #"unknown unit "hour"; use \#(Self.units)"#)
        expectError("-1H", at: 2, #"unknown unit "H"; use \#(Self.units)"#)
        expectError("-30m1h", at: 5, "units must go from largest to smallest, each at most once, as in -1h30m")
        expectError("-1h1h", at: 4, "units must go from largest to smallest, each at most once, as in -1h30m")
        expectError("-1h-", at: 3, "expected a number or the end of the time, found '-'")
        expectError("-1h garbage", at: 4, "unexpected 'g' after the duration")
        expectError("-99999999999999999999s", at: 1, "the duration is too long (at most about 292 years)")
        expectError("-300y", at: 1, "the duration is too long (at most about 292 years)")
        expectError("-1h", at: 0, Self.outOfRange, now: .min)
        expectError("+1ms", at: 0, Self.outOfRange, now: .max)
    }

    @Test func now() {
        expectError("nowx", at: 3, "expected '-' or '+' and a duration after 'now', as in now-1h, found 'x'")
        expectError("now 1h", at: 4, "expected '-' or '+' and a duration after 'now', as in now-1h, found '1'")
        expectError("now-", at: 4, "expected a number after '-', as in -1h or -30m, found end of input")
        expectError("now-1h-1h", at: 6, "expected a number or the end of the time, found '-'")
    }

    @Test func dateFields() {
        expectError("2026-13-01T00:00:00Z", at: 5, "month 13 is out of range (1-12)")
        expectError("2026-00-01T00:00:00Z", at: 5, "month 0 is out of range (1-12)")
        expectError("2026-02-29T00:00:00Z", at: 8, "day 29 is out of range for February 2026 (1-28)")
        expectError("2024-02-30T00:00:00Z", at: 8, "day 30 is out of range for February 2024 (1-29)")
        expectError("1900-02-29T00:00:00Z", at: 8, "day 29 is out of range for February 1900 (1-28)")
        expectError("2026-04-31T00:00:00Z", at: 8, "day 31 is out of range for April 2026 (1-30)")
        expectError("2026-01-00T00:00:00Z", at: 8, "day 0 is out of range for January 2026 (1-31)")
        expectError("2026-1-25T00:00:00Z", at: 6, "expected a 2-digit month, found '-'")
        expectError("2026-11-2", at: 9, "expected a 2-digit day, found end of input")
        expectError("2026-11_25T00:00:00Z", at: 7, "expected '-' after the month, found '_'")
    }

    @Test func timeFields() {
        expectError("2026-11-25T24:00:00Z", at: 11, "hour 24 is out of range (0-23)")
        expectError("2026-11-25T08:60:00Z", at: 14, "minute 60 is out of range (0-59)")
        expectError("2026-11-25T08:00:61Z", at: 17, "second 61 is out of range (0-60)")
        expectError("2026-11-25T8:00:00Z", at: 12, "expected a 2-digit hour, found ':'")
        expectError("2026-11-25T08-00:00Z", at: 13, "expected ':' after the hour, found '-'")
        expectError(
            "2026-11-25", at: 10,
            "expected 'T' and a time of day after the date, as in 2026-11-25T08:00:00Z, found end of input")
        expectError(
            "2026-11-25_08:00:00Z", at: 10,
            "expected 'T' and a time of day after the date, as in 2026-11-25T08:00:00Z, found '_'")
    }

    @Test func fractionsAndZones() {
        let zone = "expected 'Z' or a UTC offset such as +01:00 (RFC 3339 times need a time zone)"
        expectError("2026-11-25T08:00:00", at: 19, "\(zone), found end of input")
        expectError("2026-11-25T08:00:00 UTC", at: 19, "\(zone), found ' '")
        expectError("2026-11-25T08:00:00.Z", at: 20, "expected fractional-second digits after '.', found 'Z'")
        expectError(
            "2026-11-25T08:00:00.1234567890Z", at: 29, "at most 9 fractional-second digits (nanoseconds) are allowed")
        expectError("2026-11-25T08:00:00+24:00", at: 20, "offset hour 24 is out of range (0-23)")
        expectError("2026-11-25T08:00:00+01:60", at: 23, "offset minute 60 is out of range (0-59)")
        expectError("2026-11-25T08:00:00+0100", at: 22, "expected ':' after the offset hour, found '0'")
        expectError("2026-11-25T08:00:00+01", at: 22, "expected ':' after the offset hour, found end of input")
        expectError("2026-11-25T08:00:00Zjunk", at: 20, "unexpected 'j' after the time zone")
        expectError("2026-11-25T08:00:00Z 1", at: 21, "unexpected '1' after the time zone")
    }

    @Test func outsideTheNanosecondRange() {
        expectError("9999-12-31T23:59:59Z", at: 0, Self.outOfRange)
        expectError("0000-01-01T00:00:00Z", at: 0, Self.outOfRange)
        expectError("2262-04-11T23:47:16.854775808Z", at: 0, Self.outOfRange)
        expectError("1677-09-21T00:12:43.145224191Z", at: 0, Self.outOfRange)
    }
}
