extension Profile {
    /// The label `go tool pprof -diff_base` puts on the base's samples (`pprof::base=true`); pprof reports take
    /// percentages of those samples' total.
    public static let diffBaseLabel = "pprof::base"

    /// The diff profile `go tool pprof -diff_base BASE NEW` builds, as a file any pprof tool reads:
    /// `go tool pprof -top diff.pb.gz` prints what `go tool pprof -top -diff_base base.pb.gz new.pb.gz` prints.
    ///
    /// Built step by step as pprof's driver does: with ``DiffNormalization/relative``, first pprof's `-normalize`
    /// (every column of `new` multiplied by base total / new total, each value rounded half away from zero, samples
    /// that become all zero dropped; note that pprof scales the new side, not the base); then every base sample gets
    /// the label `pprof::base=true` and its values negated; then both are merged (time: the earliest start;
    /// duration: the sum, as pprof's merge computes them). ``DiffNormalization/absolute`` is plain `-diff_base`.
    ///
    /// - Throws: ``ProfileError`` with code `incompatibleProfiles` when sample types or period types differ, or the
    ///   first ``validate()`` failure of either side.
    public static func diffBase(base: Profile, new: Profile, normalization: DiffNormalization = .relative)
        throws(ProfileError) -> Profile
    {
        var source = new
        if normalization == .relative {
            let baseSums = columnSums(base)
            let newSums = columnSums(new)
            let ratios = zip(baseSums, newSums).map { b, n in n == 0 ? 0 : Double(b) / Double(n) }
            source.scale(by: ratios)
        }
        var negated = base
        negated.samples = base.samples.map { sample in
            var sample = sample
            sample.labels.removeAll { $0.key == diffBaseLabel }
            sample.labels.append(.string(diffBaseLabel, "true"))
            return sample
        }
        negated.scale(by: [Double](repeating: -1, count: base.sampleTypes.count))
        var diff = try merge([source, negated])
        let starts = [new.timeNanos, base.timeNanos].filter { $0 != 0 }
        diff.timeNanos = starts.min() ?? 0
        diff.durationNanos = new.durationNanos.saturatingAdd(base.durationNanos)
        return diff
    }

    /// Sums of each column over all samples (pprof's `Normalize` sums signed values).
    private static func columnSums(_ profile: Profile) -> [Int64] {
        var sums = [Int64](repeating: 0, count: profile.sampleTypes.count)
        for sample in profile.samples {
            for (index, value) in sample.values.enumerated() where index < sums.count {
                sums[index] = sums[index].saturatingAdd(value)
            }
        }
        return sums
    }

    /// pprof's `ScaleN`: columns whose ratio is not 1 are multiplied and rounded half away from zero; samples whose
    /// values all become 0 are dropped. Nothing happens when every ratio is 1.
    private mutating func scale(by ratios: [Double]) {
        guard ratios.contains(where: { $0 != 1 }) else { return }
        samples = samples.compactMap { sample in
            var sample = sample
            var keep = false
            for index in sample.values.indices where index < ratios.count && ratios[index] != 1 {
                let scaled = (Double(sample.values[index]) * ratios[index]).rounded(.toNearestOrAwayFromZero)
                sample.values[index] = Int64(clamping: scaled)
                keep = keep || sample.values[index] != 0
            }
            return keep ? sample : nil
        }
    }
}
