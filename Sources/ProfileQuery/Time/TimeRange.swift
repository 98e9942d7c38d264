/// An interval of time in nanoseconds since the Unix epoch, both ends included: `from <= t <= to`.
///
/// Invariant: ``from`` is not after ``to`` (an empty-looking range with `from == to` holds one instant). The
/// initializers check it; assigning the fields directly is the caller's responsibility.
public struct TimeRange: Sendable, Hashable {
    /// The first instant of the range.
    public var from: Int64
    /// The last instant of the range.
    public var to: Int64

    /// - Throws: ``QueryError/Code/invalidTimeRange`` when `from` is after `to`.
    public init(from: Int64, to: Int64) throws(QueryError) {
        guard from <= to else {
            throw QueryError(
                .invalidTimeRange,
                "from (\(RFC3339.format(from))) is after to (\(RFC3339.format(to))); swap them or widen the range")
        }
        self.from = from
        self.to = to
    }

    /// Parses both ends with ``TimeExpression/parse(_:now:)`` against the same `now`.
    ///
    /// - Throws: the ``QueryError/Code/invalidTime`` of the first end that does not parse, or
    ///   ``QueryError/Code/invalidTimeRange`` when `from` is after `to`.
    public init(parsingFrom from: String, to: String, now: Int64) throws(QueryError) {
        try self.init(from: TimeExpression.parse(from, now: now), to: TimeExpression.parse(to, now: now))
    }

    /// Whether `instant` lies in the range, ends included.
    public func contains(_ instant: Int64) -> Bool {
        from <= instant && instant <= to
    }

    /// The length of the range in nanoseconds, saturating at `Int64.max`.
    public var durationNanos: Int64 {
        let (duration, overflow) = to.subtractingReportingOverflow(from)
        return overflow ? .max : duration
    }
}
