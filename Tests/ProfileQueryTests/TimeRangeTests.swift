import ProfileQuery
import Testing

@Suite struct TimeRangeTests {
    private static let hour: Int64 = 3_600_000_000_000

    @Test func acceptsOrderedAndEqualEnds() throws {
        let range = try TimeRange(from: 1, to: 2)
        #expect(range.from == 1 && range.to == 2)
        #expect(try TimeRange(from: 5, to: 5).durationNanos == 0)
    }

    @Test func rejectsFromAfterTo() {
        let error = queryError { () throws(QueryError) in try TimeRange(from: 2, to: 1) }
        #expect(error?.code == .invalidTimeRange)
        #expect(
            error?.message
                == "from (1970-01-01T00:00:00.000000002Z) is after to (1970-01-01T00:00:00.000000001Z); "
                + "swap them or widen the range")
        #expect(error?.description.hasPrefix("bad time range: from (1970-01-01T00:00:00.000000002Z) is after") == true)
    }

    @Test func parsesBothEndsAgainstOneNow() throws {
        let now = 1_795_593_600 * 1_000_000_000 as Int64
        let range = try TimeRange(parsingFrom: "-1h", to: "now", now: now)
        #expect(range == (try TimeRange(from: now - Self.hour, to: now)))
        #expect(range.durationNanos == Self.hour)
        let absolute = try TimeRange(parsingFrom: "2026-11-25T07:00:00Z", to: "1795593600", now: 0)
        #expect(absolute == range)
    }

    @Test func parseErrors() {
        let reversed = queryError { () throws(QueryError) in try TimeRange(parsingFrom: "now", to: "-1h", now: 0) }
        #expect(reversed?.code == .invalidTimeRange)
        let badFrom = queryError { () throws(QueryError) in try TimeRange(parsingFrom: "x", to: "now", now: 0) }
        #expect(badFrom?.code == .invalidTime)
        #expect(badFrom?.input == "x")
        let badTo = queryError { () throws(QueryError) in try TimeRange(parsingFrom: "-1h", to: "-1q", now: 0) }
        #expect(badTo?.input == "-1q")
        #expect(badTo?.position == 2)
    }

    @Test func containsBothEnds() throws {
        let range = try TimeRange(from: 10, to: 20)
        #expect(!range.contains(9))
        #expect(range.contains(10))
        #expect(range.contains(20))
        #expect(!range.contains(21))
    }

    @Test func durationSaturates() throws {
        #expect(try TimeRange(from: .min, to: .max).durationNanos == .max)
        #expect(try TimeRange(from: -5, to: 5).durationNanos == 10)
    }
}
