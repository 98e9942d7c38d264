import ProfileQuery
import Testing

@Suite struct TimeExpressionTests {
    private static let second: Int64 = 1_000_000_000
    /// 2026-11-25T08:00:00Z.
    private static let now: Int64 = 1_795_593_600 * second

    private func parse(_ text: String) throws -> Int64 {
        try TimeExpression.parse(text, now: Self.now)
    }

    @Test func now() throws {
        #expect(try parse("now") == Self.now)
        #expect(try parse("  now \n") == Self.now)
        #expect(try TimeExpression.parse("now", now: 5) == 5)
    }

    @Test(arguments: [
        ("-1h", -3_600 * second), ("-30m", -1_800 * second), ("-90s", -90 * second), ("-7d", -7 * 86_400 * second),
        ("-500ms", -500_000_000), ("-1h30m", -5_400 * second), ("-2w", -14 * 86_400 * second),
        ("-1y", -365 * 86_400 * second), ("-1d2h3m4s5ms", -(86_400 + 7_200 + 180 + 4) * second - 5_000_000),
        ("-0s", 0), ("+10m", 600 * second), ("+1h30m", 5_400 * second), ("now-1h", -3_600 * second),
        ("now+10m", 600 * second), ("now - 1h", -3_600 * second), ("now-90s", -90 * second), (" -1h ", -3_600 * second),
        ("-0001h", -3_600 * second),
    ])
    func relative(text: String, offset: Int64) throws {
        #expect(try parse(text) == Self.now + offset)
    }

    @Test func relativeIsAgainstTheGivenNow() throws {
        #expect(try TimeExpression.parse("-1s", now: 0) == -Self.second)
        #expect(try TimeExpression.parse("now-1h", now: 7_200 * Self.second) == 3_600 * Self.second)
    }

    @Test(arguments: [
        ("2026-11-25T08:00:00Z", 1_795_593_600 * second),
        ("2026-11-25t08:00:00z", 1_795_593_600 * second),
        ("2026-11-25 08:00:00Z", 1_795_593_600 * second),
        ("2026-11-25T08:00:00+00:00", 1_795_593_600 * second),
        ("2026-11-25T08:00:00-00:00", 1_795_593_600 * second),
        ("2026-11-25T09:00:00+01:00", 1_795_593_600 * second),
        ("2026-11-25T02:30:00-05:30", 1_795_593_600 * second),
        ("2026-11-25T08:00:00.123456789+01:00", (1_795_593_600 - 3_600) * second + 123_456_789),
        ("2026-11-25T08:00:00.5Z", 1_795_593_600 * second + 500_000_000),
        ("2026-11-25T08:00:00.000001Z", 1_795_593_600 * second + 1_000),
        ("2026-11-25T08:00:00.000000000Z", 1_795_593_600 * second),
        ("2024-02-29T12:00:00Z", 1_709_208_000 * second),
        ("2000-02-29T00:00:00Z", 951_782_400 * second),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -second),
        ("1969-12-31T23:59:59.999999999Z", -1),
        ("2026-12-31T23:59:60Z", 1_798_761_600 * second),
        ("2026-01-01T00:00:00+23:59", 1_767_225_600 * second - (23 * 3_600 + 59 * 60) * second),
        ("2262-04-11T23:47:16.854775807Z", .max),
        ("1677-09-21T00:12:43.145224192Z", .min),
        ("  2026-11-25T08:00:00Z  ", 1_795_593_600 * second),
    ])
    func rfc3339(text: String, expected: Int64) throws {
        #expect(try parse(text) == expected)
    }

    @Test(arguments: [
        ("1795593600", 1_795_593_600 * second), ("1764057600", 1_764_057_600 * second), ("0", 0),
        ("00000000000042", 42 * second), ("9223372036", 9_223_372_036 * second), (" 5 ", 5 * second),
        ("2026", 2_026 * second),
    ])
    func unixSeconds(text: String, expected: Int64) throws {
        #expect(try parse(text) == expected)
    }

    @Test func formatRoundTrips() throws {
        #expect(TimeExpression.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(TimeExpression.rfc3339(1_795_593_600 * Self.second) == "2026-11-25T08:00:00Z")
        #expect(TimeExpression.rfc3339(1_795_593_600 * Self.second + 120_000_000) == "2026-11-25T08:00:00.12Z")
        #expect(TimeExpression.rfc3339(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(TimeExpression.rfc3339(.max) == "2262-04-11T23:47:16.854775807Z")
        #expect(TimeExpression.rfc3339(.min) == "1677-09-21T00:12:43.145224192Z")
        #expect(TimeExpression.rfc3339(1_709_208_000 * Self.second) == "2024-02-29T12:00:00Z")
        var rng = SeededGenerator(seed: 3339)
        var instants = (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &rng) }
        instants += (0..<2_000).map { _ in Int64.random(in: -4_000_000_000...4_000_000_000, using: &rng) }
        instants += (0..<1_000).flatMap { [Int64.min + $0 * 999_999, Int64.max - $0 * 999_999] }
        for instant in instants {
            #expect(try parse(TimeExpression.rfc3339(instant)) == instant)
        }
    }

    /// Every day from 1900 to 2100 formats and parses back, which checks the calendar arithmetic both ways.
    @Test func everyDayRoundTrips() throws {
        let day = 86_400 * Self.second
        let first = try parse("1900-01-01T00:00:00Z")
        var previousDate = ""
        for index in Int64(0)..<Int64(73_414) {
            let instant = first + index * day
            let text = TimeExpression.rfc3339(instant)
            #expect(text > previousDate)
            #expect(try parse(text) == instant)
            previousDate = text
        }
        #expect(previousDate == "2100-12-31T00:00:00Z")
    }
}
