extension DiffTopReport {
    /// The report as a table for people:
    ///
    /// ```
    /// Diff of cpu (nanoseconds): base 3.98s in 792 samples, new 3.99s in 794 samples
    /// Relative: shares of each side's total, Δ in percentage points
    /// * significant at alpha 0.01 (two-proportion z-test on sample counts, Holm-corrected over all functions)
    /// Showing top 20 of 7 functions, by change of flat share
    ///   flat base   flat new     flat Δ     cum base    cum new      cum Δ    function
    ///      24.87%     49.75%   +24.87pp *     24.87%     49.75%   +24.87pp *  hot_b
    /// ```
    ///
    /// - Parameter nodes: the most rows to show; 0 or less shows all.
    public func render(nodes: Int = 20) -> String {
        let shown = nodes > 0 ? Array(rows.prefix(nodes)) : rows
        let relative = normalization == .relative
        let smallest =
            shown.flatMap { [$0.baseFlat, $0.newFlat, $0.baseCum, $0.newCum] }.map(\.saturatingMagnitude)
            .filter { $0 > 0 }.min() ?? 0
        let outputUnit = PprofFormat.outputUnit(
            sampleUnit: unit, smallestValue: smallest, total: max(baseTotal, newTotal))
        func raw(_ value: Double) -> String {
            PprofFormat.scaledLabel(Int64(value.rounded()), from: unit, to: outputUnit)
        }
        func value(_ v: Double) -> String { relative ? PprofFormat.fixed(v, decimals: 2) + "%" : raw(v) }
        func delta(_ v: Double) -> String {
            let sign = v > 0 ? "+" : v < 0 ? "-" : "±"
            return sign + (relative ? PprofFormat.fixed(abs(v), decimals: 2) + "pp" : raw(abs(v)))
        }
        func cells(_ change: Change) -> String {
            PprofFormat.padLeft(value(change.base), to: 11) + PprofFormat.padLeft(value(change.new), to: 11)
                + PprofFormat.padLeft(delta(change.delta), to: 11) + (change.significant ? " *" : "  ")
        }

        func samples(_ count: Int64?) -> String { count.map { " in \($0) samples" } ?? "" }
        var output =
            "Diff of \(type) (\(unit)): base \(raw(Double(baseTotal)))\(samples(baseSamples)), "
            + "new \(raw(Double(newTotal)))\(samples(newSamples))\n"
        output +=
            relative
            ? "Relative: shares of each side's total, Δ in percentage points\n"
            : "Absolute: raw values, Δ = new − base\n"
        if test == .none {
            output += "No significance test: \(test.summary)\n"
        } else {
            output += "* significant at alpha \(alpha) (\(test.summary), Holm-corrected over all functions)\n"
        }
        let count = rows.count
        if shown.count < count {
            output +=
                "Showing top \(shown.count) of \(count) functions, by change of flat \(relative ? "share" : "value")\n"
        }
        for title in ["flat base", "flat new", "flat Δ"] { output += PprofFormat.padLeft(title, to: 11) }
        output += "  "
        for title in ["cum base", "cum new", "cum Δ"] { output += PprofFormat.padLeft(title, to: 11) }
        output += "    function\n"
        for row in shown {
            output += cells(row.flat) + cells(row.cum) + "  " + row.name + "\n"
        }
        let marked = significantRows.count
        output +=
            marked == 0 ? "No significant change.\n" : "\(marked) significant \(marked == 1 ? "change" : "changes").\n"
        return output
    }
}
