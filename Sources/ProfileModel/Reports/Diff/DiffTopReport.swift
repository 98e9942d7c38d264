/// The functions whose share of a profile changed between a base and a new profile, with a significance test: the
/// top table of `scorch diff`, and the table the HTTP API serves for a diff (so the CLI and the UI agree).
///
/// For every function (named as in ``TopReport``) the report holds its flat and cumulative values on both sides and
/// the change of each, as shares of each side's total (``DiffNormalization/relative``: percentages and percentage
/// points) or raw values (``DiffNormalization/absolute``).
///
/// **Significance.** Each change is tested on the sample counts (the `samples/count` column, whatever column is
/// shown): by default with the two-proportion z-test, in absolute mode with the Poisson test, and with a bootstrap
/// over windows when both sides come with windows (see ``SignificanceTest``). The p-values of all functions are
/// Holm-adjusted, separately for flat and for cumulative changes, and a change is ``Change/significant`` when its
/// adjusted p-value is at most ``alpha``: the chance that any unchanged function is marked is at most alpha.
///
/// Rows are ordered by the magnitude of the flat change, then of the cumulative change, then by name.
public struct DiffTopReport: Sendable, Hashable, Codable {
    /// One function's values on both sides.
    public struct Row: Sendable, Hashable, Codable {
        /// The function (frame) name.
        public var name: String
        /// Raw flat value (column units) in the base and the new profile.
        public var baseFlat: Int64
        public var newFlat: Int64
        /// Raw cumulative value in the base and the new profile.
        public var baseCum: Int64
        public var newCum: Int64
        /// The change of the flat value, in the report's normalization.
        public var flat: Change
        /// The change of the cumulative value, in the report's normalization.
        public var cum: Change

        enum CodingKeys: String, CodingKey {
            case name, flat, cum
            case baseFlat = "base_flat"
            case newFlat = "new_flat"
            case baseCum = "base_cum"
            case newCum = "new_cum"
        }
    }

    /// One change: the value on each side (percent of the side's total, or raw), their difference and its test.
    public struct Change: Sendable, Hashable, Codable {
        /// The base side: percent of the base total (relative) or the raw value (absolute).
        public var base: Double
        /// The new side, in the same terms.
        public var new: Double
        /// `new − base`: percentage points (relative) or column units (absolute).
        public var delta: Double
        /// The test statistic; nil when ``SignificanceTest/none``.
        public var z: Double?
        /// The two-sided p-value before correction; nil when untested.
        public var pValue: Double?
        /// The Holm-adjusted p-value, the one compared with alpha; nil when untested.
        public var adjustedPValue: Double?
        /// The change is real at the report's alpha (adjusted p-value ≤ alpha).
        public var significant: Bool

        public init(
            base: Double, new: Double, z: Double? = nil, pValue: Double? = nil, adjustedPValue: Double? = nil,
            significant: Bool = false
        ) {
            self.base = base
            self.new = new
            self.delta = new - base
            self.z = z
            self.pValue = pValue
            self.adjustedPValue = adjustedPValue
            self.significant = significant
        }

        enum CodingKeys: String, CodingKey {
            case base, new, delta, z, significant
            case pValue = "p_value"
            case adjustedPValue = "adjusted_p_value"
        }
    }

    /// The compared column's type (e.g. `cpu`) and unit (e.g. `nanoseconds`).
    public var type: String
    public var unit: String
    /// How the sides were put on one scale.
    public var normalization: DiffNormalization
    /// The family-wise error rate the marks are held to.
    public var alpha: Double
    /// The test behind ``Change/significant``.
    public var test: SignificanceTest
    /// Sum of the absolute values of the compared column, per side.
    public var baseTotal: Int64
    public var newTotal: Int64
    /// Samples per side (the count column's total); nil without a count column.
    public var baseSamples: Int64?
    public var newSamples: Int64?
    /// Every function on either side, biggest flat change first.
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case type, unit, normalization, alpha, test, rows
        case baseTotal = "base_total"
        case newTotal = "new_total"
        case baseSamples = "base_samples"
        case newSamples = "new_samples"
    }

    /// Compares two profiles (e.g. two pprof files).
    ///
    /// - Throws: ``ProfileError`` when the profiles do not compare: different sample types, period types or periods
    ///   (`incompatibleProfiles`), a side with no samples (`emptyInput`), a sample index out of range
    ///   (`invalidProfile`).
    public init(base: Profile, new: Profile, options: DiffOptions = DiffOptions()) throws(ProfileError) {
        try self.init(base: DiffSide(base), new: DiffSide(new), options: options)
    }

    /// Compares two sides; when both have at least 8 windows, significance comes from a bootstrap over them.
    ///
    /// - Throws: as ``init(base:new:options:)-(Profile,Profile,DiffOptions)``.
    public init(base: DiffSide, new: DiffSide, options: DiffOptions = DiffOptions()) throws(ProfileError) {
        let inputs = try DiffInputs(base: base.profile, new: new.profile, sampleIndex: options.sampleIndex)
        let shown = (
            FunctionTotals(base.profile, column: inputs.column), FunctionTotals(new.profile, column: inputs.column)
        )
        let counts = (inputs.counts.totals(base.profile), inputs.counts.totals(new.profile))
        let names = Set(shown.0.cum.keys).union(shown.1.cum.keys).sorted()
        let type = new.profile.sampleTypes[inputs.column]
        self.type = type.type
        self.unit = type.unit
        normalization = options.normalization
        alpha = options.alpha
        baseTotal = shown.0.total
        newTotal = shown.1.total
        baseSamples = counts.0?.total
        newSamples = counts.1?.total

        let relative = options.normalization == .relative
        func value(_ raw: Int64, of total: Int64) -> Double {
            relative ? (total == 0 ? 0 : Double(raw) / Double(total) * 100) : Double(raw)
        }
        var rows = names.map { name in
            let (bf, nf) = (shown.0.flat[name] ?? 0, shown.1.flat[name] ?? 0)
            let (bc, nc) = (shown.0.cum[name] ?? 0, shown.1.cum[name] ?? 0)
            return Row(
                name: name, baseFlat: bf, newFlat: nf, baseCum: bc, newCum: nc,
                flat: Change(base: value(bf, of: shown.0.total), new: value(nf, of: shown.1.total)),
                cum: Change(base: value(bc, of: shown.0.total), new: value(nc, of: shown.1.total)))
        }

        if let baseCounts = counts.0, let newCounts = counts.1,
            baseCounts.total > 0, newCounts.total > 0,
            !Self.hasNegative(baseCounts) && !Self.hasNegative(newCounts)
        {
            let windows = (base.windows.compactMap(inputs.counts.totals), new.windows.compactMap(inputs.counts.totals))
            let bootstrap: WindowBootstrap?
            if windows.0.count >= DiffStatistics.minimumWindows && windows.1.count >= DiffStatistics.minimumWindows {
                bootstrap = WindowBootstrap(
                    base: windows.0, new: windows.1, names: names, normalization: options.normalization,
                    resamples: options.bootstrapResamples, seed: options.seed)
                test = .windowBootstrap
            } else {
                bootstrap = nil
                test = relative ? .twoProportion : .poisson
            }
            func z(_ x1: Int64, _ x2: Int64, bootstrapSE: Double?) -> Double {
                let (n1, n2) = (baseCounts.total, newCounts.total)
                let observed = relative ? Double(x2) / Double(n2) - Double(x1) / Double(n1) : Double(x2 - x1)
                let floor =
                    relative
                    ? DiffStatistics.twoProportionSE(base: x1, of: n1, new: x2, of: n2)
                    : DiffStatistics.poissonSE(base: x1, new: x2)
                let se = max(floor, bootstrapSE ?? 0)
                return se > 0 ? observed / se : 0
            }
            for (i, name) in names.enumerated() {
                let flatZ = z(baseCounts.flat[name] ?? 0, newCounts.flat[name] ?? 0, bootstrapSE: bootstrap?.flat[i])
                let cumZ = z(baseCounts.cum[name] ?? 0, newCounts.cum[name] ?? 0, bootstrapSE: bootstrap?.cum[i])
                rows[i].flat.z = flatZ
                rows[i].cum.z = cumZ
                // A function that is never a leaf on either side is not a flat test (nor part of the family).
                if rows[i].baseFlat != 0 || rows[i].newFlat != 0 { rows[i].flat.pValue = Normal.twoSidedPValue(flatZ) }
                rows[i].cum.pValue = Normal.twoSidedPValue(cumZ)
            }
            Self.adjust(&rows, \.flat, alpha: options.alpha)
            Self.adjust(&rows, \.cum, alpha: options.alpha)
        } else {
            test = .none
        }
        self.rows = rows.sorted { a, b in
            let (fa, fb) = (abs(a.flat.delta), abs(b.flat.delta))
            if fa != fb { return fa > fb }
            let (ca, cb) = (abs(a.cum.delta), abs(b.cum.delta))
            return ca != cb ? ca > cb : a.name < b.name
        }
    }

    /// The rows whose flat value grew by more than `threshold` (percentage points for a relative report, column units
    /// for an absolute one) and whose growth is significant — the regressions a CI gate fails on. Without a test
    /// (``SignificanceTest/none``) the threshold alone decides.
    public func regressions(threshold: Double) -> [Row] {
        rows.filter { $0.flat.delta > threshold && ($0.flat.significant || test == .none) }
    }

    /// The rows with a significant flat or cumulative change.
    public var significantRows: [Row] { rows.filter { $0.flat.significant || $0.cum.significant } }

    private static func adjust(_ rows: inout [Row], _ change: WritableKeyPath<Row, Change>, alpha: Double) {
        let tested = rows.indices.filter { rows[$0][keyPath: change].pValue != nil }
        let adjusted = DiffStatistics.holmAdjusted(tested.map { rows[$0][keyPath: change].pValue ?? 1 })
        for (index, p) in zip(tested, adjusted) {
            rows[index][keyPath: change].adjustedPValue = p
            rows[index][keyPath: change].significant = p <= alpha
        }
    }

    private static func hasNegative(_ totals: FunctionTotals) -> Bool {
        totals.flat.values.contains { $0 < 0 } || totals.cum.values.contains { $0 < 0 }
    }
}
