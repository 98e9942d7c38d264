import Hummingbird
import ProfileModel

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
    /// `GET /api/v1/top?from&to&selector&limit`: functions by flat value, as `scorch query --format top`.
    func top(_ request: Request) async throws -> Response {
        let parameters = try QueryParameters(query: request.uri.query, known: ["from", "to", "selector", "limit"])
        let filter = try ProfileFilter(parameters, now: wallClockNanos())
        let limit = try parameters.integer("limit", default: Self.defaultTopRows, in: 1...Self.maxTopRows)
        let store = self.store
        let body = try await runner.run("the top table") {
            let profile = try filter.profile(from: store)
            return try Self.json(TopResponse(TopReport(profile), profile: profile, limit: limit))
        }
        return .bytes(body, contentType: ContentType.json)
    }
}
