import Hummingbird
import ProfileModel
import ProfileStore

/// The JSON of `GET /api/v1/top`.
struct TopResponse: Codable, Equatable {
    struct Row: Codable, Equatable {
        var name: String
        var flat: Int64
        var cum: Int64
        /// The source file of the function, when known.
        var file: String?
        var flatPercent: Double
        var cumPercent: Double

        enum CodingKeys: String, CodingKey {
            case name, flat, cum, file
            case flatPercent = "flat_percent"
            case cumPercent = "cum_percent"
        }
    }

    var type: String
    var unit: String
    /// Sum of the absolute values of all samples; the base of the percentages.
    var total: Int64
    /// Rows by flat value, largest first (as `go tool pprof -top`), at most `limit`.
    var rows: [Row]
    /// Rows before the limit.
    var totalRows: Int

    enum CodingKeys: String, CodingKey {
        case type, unit, total, rows
        case totalRows = "total_rows"
    }

    init(_ report: TopReport, profile: Profile, limit: Int) {
        var files: [String: String] = [:]
        for function in profile.functions where !function.filename.isEmpty {
            let name = function.name.isEmpty ? function.systemName : function.name
            if files[name] == nil { files[name] = function.filename }
        }
        let total = report.total
        func percent(_ value: Int64) -> Double {
            total == 0 ? 0 : (Double(value) * 10000 / Double(total)).rounded() / 100
        }
        type = report.sampleType?.type ?? ""
        unit = report.sampleType?.unit ?? ""
        self.total = total
        rows = report.rows.prefix(limit).map { row in
            Row(
                name: row.name, flat: row.flat, cum: row.cum, file: files[row.name],
                flatPercent: percent(row.flat), cumPercent: percent(row.cum))
        }
        totalRows = report.rows.count
    }
}

extension ScorchAPI {
    /// One side of a diff table: the range's blocks in up to ``DiffParameters/maxGroups`` groups of windows; an
    /// empty side is one empty profile (the diff then says which side has no samples).
    static func side(_ filter: ProfileFilter, store: ProfileStore) throws -> DiffSide {
        let selector = filter.selector
        let groups = try store.queryGroups(
            from: filter.range.from, to: filter.range.to, maxGroups: DiffParameters.maxGroups,
            blocks: { $0.labels.mayMatch(selector) }, where: { selector.matches($0) })
        return groups.isEmpty ? DiffSide(try filter.profile(from: store)) : try DiffSide(windows: groups)
    }

    /// `GET /api/v1/top?from&to&selector&limit`: functions by flat value, as `scorch query --format top`.
    ///
    /// With `base_from`, `base_to` or `base_selector` (see ``DiffParameters``) it is `DiffTopReport`'s JSON, the
    /// table `scorch diff` prints: both sides' values per function and the change with its significance, the
    /// sides read as groups of windows (as `scorch diff` reads store ranges) so the test sees the variation
    /// between windows; `limit` rows, biggest flat change first.
    func top(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(
            query: request.uri.query, known: Set(["from", "to", "selector", "limit"]).union(DiffParameters.names))
        let now = wallClockNanos()
        let filter = try ProfileFilter(parameters, now: now)
        let diff = try DiffParameters.parse(parameters, now: now)
        let limit = try parameters.integer("limit", default: Self.defaultTopRows, in: 1...Self.maxTopRows)
        let store = self.store
        let body = try await runner.run(diff == nil ? "the top table" : "the diff table") {
            guard let diff else {
                let profile = try filter.profile(from: store)
                return try Self.json(TopResponse(TopReport(profile), profile: profile, limit: limit))
            }
            var report: DiffTopReport
            do {
                report = try DiffTopReport(
                    base: Self.side(diff.base, store: store), new: Self.side(filter, store: store),
                    options: DiffOptions(normalization: diff.normalization))
            } catch let error as ProfileError {
                throw DiffParameters.refused(error)
            }
            report.rows = Array(report.rows.prefix(limit))
            return try Self.json(report)
        }
        return .bytes(body, contentType: ContentType.json)
    }
}
