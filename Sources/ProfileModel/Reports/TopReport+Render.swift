extension TopReport {
    /// The report as `go tool pprof -top` prints it:
    ///
    /// ```
    /// Showing nodes accounting for 2.45s, 98.79% of 2.48s total
    /// Showing top 20 nodes out of 57
    ///       flat  flat%   sum%        cum   cum%
    ///      1.60s 64.52% 64.52%      1.60s 64.52%  hot_a
    /// ```
    ///
    /// The second line appears only when rows were cut. All values share one unit, chosen as pprof does (see
    /// ``PprofFormat``): nanoseconds scale to `s`/`ms`/`us`, bytes to `B`/`kB`/`MB`, counts print as integers.
    ///
    /// - Parameters:
    ///   - nodes: the maximum number of rows; 0 or less shows all.
    ///   - sortByCum: order by cumulative value (`-top -cum`) instead of flat value.
    public func render(nodes: Int = 20, sortByCum: Bool = false) -> String {
        let ordered = sortByCum ? Self.sorted(rows, byCum: true) : rows
        let shown = nodes > 0 ? Array(ordered.prefix(nodes)) : ordered
        let sampleUnit = sampleType?.unit ?? ""
        let smallest =
            shown.lazy.map { $0.flat != 0 ? $0.flat.saturatingMagnitude : $0.cum.saturatingMagnitude }
            .filter { $0 > 0 }.min() ?? 0
        let unit = PprofFormat.outputUnit(sampleUnit: sampleUnit, smallestValue: smallest, total: total)
        func format(_ value: Int64) -> String {
            PprofFormat.scaledLabel(value, from: sampleUnit, to: unit)
        }

        let shownFlat = shown.reduce(Int64(0)) { $0.saturatingAdd($1.flat) }
        let shownPercent = PprofFormat.percentage(shownFlat, of: total).drop { $0 == " " }
        var output = "Showing nodes accounting for \(format(shownFlat)), \(shownPercent) of \(format(total)) total\n"
        if shown.count < ordered.count {
            output += "Showing top \(shown.count) nodes out of \(ordered.count)\n"
        }
        output += "      flat  flat%   sum%        cum   cum%\n"
        var flatSum: Int64 = 0
        for row in shown {
            flatSum = flatSum.saturatingAdd(row.flat)
            output +=
                PprofFormat.padLeft(format(row.flat), to: 10) + " "
                + PprofFormat.percentage(row.flat, of: total) + " "
                + PprofFormat.percentage(flatSum, of: total) + " "
                + PprofFormat.padLeft(format(row.cum), to: 10) + " "
                + PprofFormat.percentage(row.cum, of: total) + "  " + row.name + "\n"
        }
        return output
    }
}
