extension FoldedStacks {
    /// Two profiles as diff-folded lines, `stack base_value new_value`, the format of Brendan Gregg's
    /// `difffolded.pl` that `flamegraph.pl` draws as a differential flame graph.
    ///
    /// Stacks are named as by ``render(_:valueIndex:rootLabel:)`` (so the output equals `difffolded.pl` run on two
    /// of Scorch's folded files) and sorted; a stack missing on one side has 0 there. With
    /// ``DiffNormalization/relative`` the base is scaled to the new side's total (as `difffolded.pl -n` does),
    /// rounded so that the base column still sums to exactly that total.
    ///
    /// The profiles should be compatible (``DiffTopReport`` checks that); a column out of range on a side counts as
    /// empty there.
    public static func renderDiff(
        base: Profile, new: Profile, valueIndex: Int, normalization: DiffNormalization = .relative,
        rootLabel: String? = "comm"
    ) -> String {
        let baseCounts = counts(base, valueIndex: valueIndex, rootLabel: rootLabel).filter { $0.value != 0 }
        let newCounts = counts(new, valueIndex: valueIndex, rootLabel: rootLabel).filter { $0.value != 0 }
        let stacks = Set(baseCounts.keys).union(newCounts.keys).sorted()
        var baseValues = stacks.map { baseCounts[$0] ?? 0 }
        if normalization == .relative {
            let newTotal = newCounts.values.reduce(Int64(0)) { $0.saturatingAdd($1) }
            if newTotal != 0 { baseValues = Apportion.scale(baseValues, to: newTotal) }
        }
        var output = ""
        for (index, stack) in stacks.enumerated() {
            output += "\(stack) \(baseValues[index]) \(newCounts[stack] ?? 0)\n"
        }
        return output
    }
}
