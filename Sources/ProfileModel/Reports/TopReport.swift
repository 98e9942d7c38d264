/// The flat/cumulative table of `go tool pprof -top`, one row per function name.
///
/// For each sample, with `v` its value in the chosen column:
/// - **flat** adds `v` to the sample's leaf frame: the first line of its first location, so an inlined callee, not
///   its caller, gets the flat value;
/// - **cum** adds `v` once to every distinct frame name in the stack, so recursion does not count twice.
///
/// Rows group by name, as pprof's default `functions` granularity does: inlined lines are functions of their own,
/// and unsymbolized locations use the names of ``FoldedStacks`` (`libfoo.so+0x1234`). ``total`` is the sum of the
/// absolute sample values, as in pprof, or of the base's for a diff profile (samples labeled `pprof::base=true`).
public struct TopReport: Sendable, Equatable {
    /// One function's totals.
    public struct Row: Sendable, Equatable {
        /// The frame name (function name or address name).
        public var name: String
        /// Value of samples whose leaf frame is this function.
        public var flat: Int64
        /// Value of samples with this function anywhere in the stack.
        public var cum: Int64

        public init(name: String, flat: Int64, cum: Int64) {
            self.name = name
            self.flat = flat
            self.cum = cum
        }
    }

    /// The column the report was computed from; nil if the profile has no such column.
    public var sampleType: ValueType?
    /// Rows ordered by flat value (largest magnitude first), then cum, then name. Rows with zero flat and zero cum
    /// are omitted.
    public var rows: [Row]
    /// Sum of the absolute values of all samples in the column.
    public var total: Int64

    /// Computes the report for one column of `profile`.
    ///
    /// - Parameter sampleIndex: the ``Profile/sampleTypes`` column. By default the column whose type is
    ///   ``Profile/defaultSampleType``, else the last one, as pprof chooses. An out-of-range index yields an empty
    ///   report.
    public init(_ profile: Profile, sampleIndex: Int? = nil) {
        let index = sampleIndex ?? Self.defaultSampleIndex(of: profile)
        guard let index, profile.sampleTypes.indices.contains(index) else {
            self.init(sampleType: nil, rows: [], total: 0)
            return
        }
        let totals = FunctionTotals(profile, column: index)
        let rows = totals.cum.map { Row(name: $0.key, flat: totals.flat[$0.key] ?? 0, cum: $0.value) }
            .filter { $0.flat != 0 || $0.cum != 0 }
        self.init(sampleType: profile.sampleTypes[index], rows: Self.sorted(rows, byCum: false), total: totals.total)
    }

    /// A report from precomputed parts; `rows` are kept in the given order.
    public init(sampleType: ValueType?, rows: [Row], total: Int64) {
        self.sampleType = sampleType
        self.rows = rows
        self.total = total
    }

    /// The index of the column named ``Profile/defaultSampleType``, else the last column; nil without columns.
    public static func defaultSampleIndex(of profile: Profile) -> Int? {
        if !profile.defaultSampleType.isEmpty,
            let index = profile.sampleTypes.firstIndex(where: { $0.type == profile.defaultSampleType })
        {
            return index
        }
        return profile.sampleTypes.indices.last
    }

    /// `rows` in pprof's order: by |flat| then |cum| (or the reverse with `byCum`), largest first, then by name.
    static func sorted(_ rows: [Row], byCum: Bool) -> [Row] {
        func key(_ row: Row) -> (Int64, Int64) {
            let (first, second) = byCum ? (row.cum, row.flat) : (row.flat, row.cum)
            return (first.saturatingMagnitude, second.saturatingMagnitude)
        }
        return rows.sorted { a, b in
            let (keyA, keyB) = (key(a), key(b))
            return keyA != keyB ? keyA > keyB : a.name < b.name
        }
    }
}
