/// The columns two profiles are compared on, after checking that they can be compared at all.
struct DiffInputs {
    /// Where the sample counts that significance tests need come from.
    enum Counts: Equatable {
        /// A column that counts samples (`samples/count` in Scorch's and Go's CPU profiles).
        case column(Int)
        /// The compared column divided by the sampling period (a column in the period's unit, e.g. `cpu/nanoseconds`
        /// with period type `cpu/nanoseconds`).
        case dividedByPeriod(column: Int, period: Int64)
        /// Neither: values cannot be turned into counts, so no test is possible.
        case none
    }

    /// The compared ``Profile/sampleTypes`` column.
    var column: Int
    var counts: Counts

    /// Checks that `base` and `new` measure the same thing in the same way, and picks the columns.
    ///
    /// - Throws: ``ProfileError`` with code `incompatibleProfiles` for different sample types, period types or
    ///   periods (counts of different periods do not compare), `invalidProfile` for a `sampleIndex` out of range,
    ///   and `emptyInput` for a side whose compared column sums to zero.
    init(base: Profile, new: Profile, sampleIndex: Int?) throws(ProfileError) {
        guard base.sampleTypes == new.sampleTypes else {
            throw ProfileError(
                .incompatibleProfiles,
                "cannot diff: the base has sample types \(Self.list(base.sampleTypes)) but the new profile has "
                    + Self.list(new.sampleTypes))
        }
        if let b = base.periodType, let n = new.periodType, b != n {
            throw ProfileError(
                .incompatibleProfiles, "cannot diff: the base's period type is \(b) but the new profile's is \(n)")
        }
        if base.period != 0 && new.period != 0 && base.period != new.period {
            let unit = (new.periodType ?? base.periodType).map { " \($0.unit)" } ?? ""
            throw ProfileError(
                .incompatibleProfiles,
                "cannot diff: the base was sampled every \(base.period)\(unit) but the new profile every "
                    + "\(new.period)\(unit); record both at the same frequency")
        }
        guard let index = sampleIndex ?? TopReport.defaultSampleIndex(of: new),
            new.sampleTypes.indices.contains(index)
        else {
            throw ProfileError(
                .invalidProfile,
                "cannot diff: no sample type \(sampleIndex.map(String.init) ?? "") in \(Self.list(new.sampleTypes))")
        }
        column = index
        for (side, profile) in [("base", base), ("new", new)] {
            guard profile.samples.contains(where: { index < $0.values.count && $0.values[index] != 0 }) else {
                throw ProfileError(
                    .emptyInput,
                    "cannot diff: the \(side) profile has no samples (\(new.sampleTypes[index]) sums to 0)")
            }
        }
        counts = Self.counts(new, column: index)
    }

    private static func counts(_ profile: Profile, column: Int) -> Counts {
        let types = profile.sampleTypes
        if types[column].unit == "count" { return .column(column) }
        if let index = types.firstIndex(where: { $0.unit == "count" && ($0.type == "samples" || $0.type == "sample") })
            ?? types.firstIndex(where: { $0.unit == "count" })
        {
            return .column(index)
        }
        if let periodType = profile.periodType, periodType.unit == types[column].unit, profile.period > 0 {
            return .dividedByPeriod(column: column, period: profile.period)
        }
        return .none
    }

    private static func list(_ types: [ValueType]) -> String {
        "[" + types.map(\.description).joined(separator: ", ") + "]"
    }
}

extension DiffInputs.Counts {
    /// Flat/cum sample counts per function of `profile`, or nil when there are none to be had.
    func totals(_ profile: Profile) -> FunctionTotals? {
        switch self {
        case .column(let index):
            return FunctionTotals(profile, column: index)
        case .dividedByPeriod(let index, let period):
            var totals = FunctionTotals(profile, column: index)
            let divide = { (value: Int64) in Int64((Double(value) / Double(period)).rounded()) }
            totals.flat = totals.flat.mapValues(divide)
            totals.cum = totals.cum.mapValues(divide)
            totals.total = divide(totals.total)
            return totals
        case .none:
            return nil
        }
    }
}
