/// Brendan Gregg's collapsed-stack format, the input of `flamegraph.pl`, speedscope and most flame graph tools.
///
/// One line per distinct stack: `root;caller;...;leaf count`, root first, lines sorted so the output is
/// deterministic.
public enum FoldedStacks {
    /// Renders one column of `profile`'s values as collapsed stacks.
    ///
    /// - Frame names are function names; a location with inlined lines expands to one frame per line, outermost
    ///   first. Unsymbolized locations render as `libfoo.so+0x1234` or `0x<address>` (see ``Location``).
    /// - If a sample has a string label `rootLabel` (by default `comm`, the thread's command name), its value becomes
    ///   the first frame.
    /// - `;` in names becomes `:` and line breaks become spaces, so names cannot break the format.
    /// - Identical stacks are summed; stacks whose sum is zero are omitted. A sample with no frames at all renders
    ///   as `[unknown]`.
    ///
    /// - Parameter valueIndex: the ``Profile/sampleTypes`` column to use; out of range yields an empty string.
    public static func render(_ profile: Profile, valueIndex: Int = 0, rootLabel: String? = "comm") -> String {
        let counts = counts(profile, valueIndex: valueIndex, rootLabel: rootLabel)
        var output = ""
        for (stack, count) in counts.sorted(by: { $0.key < $1.key }) where count != 0 {
            output += "\(stack) \(count)\n"
        }
        return output
    }

    /// The summed value of each distinct stack (as ``render(_:valueIndex:rootLabel:)`` names them), zero sums
    /// included.
    static func counts(_ profile: Profile, valueIndex: Int, rootLabel: String?) -> [String: Int64] {
        guard valueIndex >= 0 else { return [:] }
        var namer = FrameNamer(profile, transform: escape)
        var counts: [String: Int64] = [:]
        for sample in profile.samples where valueIndex < sample.values.count {
            let value = sample.values[valueIndex]
            guard value != 0 else { continue }
            var frames: [String] = []
            if let rootLabel, let root = sample.labels.first(where: { $0.key == rootLabel && $0.string != nil }) {
                frames.append(escape(root.string ?? ""))
            }
            for id in sample.locationIDs.reversed() {
                frames.append(contentsOf: namer.names(ofLocation: id).reversed())
            }
            if frames.isEmpty { frames.append("[unknown]") }
            let stack = frames.joined(separator: ";")
            counts[stack] = (counts[stack] ?? 0).saturatingAdd(value)
        }
        return counts
    }

    /// `name` with the characters that carry meaning in the folded format replaced.
    static func escape(_ name: String) -> String {
        guard name.contains(where: { $0 == ";" || $0.isNewline }) else { return name }
        return String(name.map { $0 == ";" ? ":" : $0.isNewline ? " " : $0 })
    }
}
