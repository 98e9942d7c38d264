import Hummingbird
import ProfileModel
import ProfileQuery
import ProfileStore

/// The JSON of `GET /api/v1/series`.
struct SeriesResponse: Codable, Equatable {
    struct Line: Codable, Equatable {
        /// The grouping labels' values (empty when not grouped).
        var labels: [String: String]
        /// `[t, value]` per bucket with data: `t` in ms since the epoch (the bucket's start).
        var points: [[Int64]]
        /// True for the sum of the groups beyond `limit`.
        var other: Bool?
    }

    var type: String
    var unit: String
    /// Bucket length in ms.
    var step: Int64
    var series: [Line]
}

extension ScorchAPI {
    /// Most points of one series.
    static let maxSeriesPoints = 11_000
    /// Points a series aims at when no step is given.
    static let targetSeriesPoints = 240
    /// Most lines of a grouped series, and the default.
    static let maxSeriesLines = 100
    static let defaultSeriesLines = 10
    /// Most labels to group by.
    static let maxGroupBy = 4

    /// `GET /api/v1/series?from&to&selector&step&group_by&limit`: the samples over time, in buckets of `step`, per
    /// value of the `group_by` labels (the `limit` largest lines, the rest summed into one marked `other`).
    func series(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(
            query: request.uri.query, known: ["from", "to", "selector", "step", "group_by", "limit"])
        let filter = try ProfileFilter(parameters, now: wallClockNanos())
        let step = try Self.step(parameters, range: filter.range)
        let groupBy = try Self.groupBy(parameters)
        let limit = try parameters.integer("limit", default: Self.defaultSeriesLines, in: 1...Self.maxSeriesLines)
        let store = self.store
        let selector = filter.selector
        let range = filter.range
        let body = try await runner.run("the series") {
            let series = try store.series(
                from: range.from, to: range.to, step: step, groupBy: groupBy, limit: limit,
                maxBuckets: Self.maxSeriesPoints + 1, blocks: { $0.labels.mayMatch(selector) },
                where: selector.matchers.isEmpty ? nil : { selector.matches($0) })
            return try Self.json(SeriesResponse(series))
        }
        return .bytes(body, contentType: ContentType.json)
    }

    /// The `step` parameter in ns: a duration such as `10s`, `1m` or `1h30m` (the units of relative times), at least
    /// 1 s and giving at most ``maxSeriesPoints`` buckets; by default a round step giving about
    /// ``targetSeriesPoints``.
    static func step(_ parameters: QueryParameters, range: TimeRange) throws(APIError) -> Int64 {
        let second: Int64 = 1_000_000_000
        let duration = range.durationNanos
        guard let text = parameters["step"], !text.isEmpty else {
            let wanted = duration / Int64(targetSeriesPoints)
            let steps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
                86400, 7 * 86400].map { $0 * second }
            return steps.first { $0 >= wanted } ?? max(steps.last!, (wanted / 86400 / second + 1) * 86400 * second)
        }
        let problem = "step must be a duration such as 10s, 1m or 1h30m (units ms, s, m, h, d, w, y), not \"\(text)\""
        guard text.count <= 32, let first = text.unicodeScalars.first, ("0"..."9").contains(first),
            text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) })
        else {
            throw APIError.badParameter("step", problem)
        }
        let step: Int64
        do {
            step = try TimeExpression.parse("+" + text, now: 0)
        } catch {
            throw APIError.badParameter("step", problem)
        }
        guard step >= second else { throw APIError.badParameter("step", "step must be at least 1s, not \(text)") }
        let points = duration / step + 1
        guard points <= Int64(maxSeriesPoints) else {
            throw APIError.badParameter(
                "step", "step \(text) gives \(points) points over this range; at most \(maxSeriesPoints): "
                    + "use a step of at least \(duration / Int64(maxSeriesPoints) / second + 1)s")
        }
        return step
    }

    /// The `group_by` parameter: label names separated by commas (at most ``maxGroupBy``; a repeated name counts
    /// once); empty for none.
    static func groupBy(_ parameters: QueryParameters) throws(APIError) -> [String] {
        guard let text = parameters["group_by"], !text.isEmpty else { return [] }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for name in names where !isLabelName(name) {
            throw APIError.badParameter(
                "group_by", "group_by must be label names ([a-zA-Z_][a-zA-Z0-9_]*) separated by commas; "
                    + "\"\(name)\" is not one")
        }
        guard names.count <= maxGroupBy else {
            throw APIError.badParameter("group_by", "group_by takes at most \(maxGroupBy) labels, not \(names.count)")
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, the label names of selectors.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0 == "_" || ("0"..."9").contains($0) }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension SeriesResponse {
    init(_ series: StoreSeries) {
        type = series.sampleType?.type ?? ""
        unit = series.sampleType?.unit ?? ""
        step = series.step / 1_000_000
        func points(_ values: [Int64]) -> [[Int64]] {
            values.indices.filter { series.covered[$0] }.map { [series.bucketStart($0) / 1_000_000, values[$0]] }
        }
        self.series = series.groups.map { Line(labels: $0.labels, points: points($0.values)) }
        if let other = series.other {
            self.series.append(Line(labels: [:], points: points(other), other: true))
        }
    }
}
