/// Flat and cumulative value per function name of one column: the numbers behind ``TopReport`` and
/// ``DiffTopReport``, so both count exactly alike.
///
/// - **flat** adds a sample's value to its leaf frame: the first line of its first location.
/// - **cum** adds it once to every distinct frame name in the stack, so recursion does not count twice.
/// - **total** is the sum of the absolute values. When some samples carry the label `pprof::base=true` (the base of
///   a `go tool pprof -diff_base` profile, see ``Profile/diffBase(base:new:normalization:)``), it is the sum over
///   those samples only, as pprof computes it, so percentages are of the base.
struct FunctionTotals {
    var flat: [String: Int64] = [:]
    var cum: [String: Int64] = [:]
    var total: Int64 = 0

    init(_ profile: Profile, column index: Int) {
        var namer = FrameNamer(profile)
        var diffBaseTotal: Int64 = 0
        for sample in profile.samples where index < sample.values.count {
            let value = sample.values[index]
            guard value != 0 else { continue }
            total = total.saturatingAdd(value.saturatingMagnitude)
            if sample.labels.contains(where: { $0.key == Profile.diffBaseLabel && $0.string == "true" }) {
                diffBaseTotal = diffBaseTotal.saturatingAdd(value.saturatingMagnitude)
            }
            var seen = Set<String>()
            for (position, id) in sample.locationIDs.enumerated() {
                let names = namer.names(ofLocation: id)
                if position == 0, let leaf = names.first {
                    flat[leaf] = (flat[leaf] ?? 0).saturatingAdd(value)
                }
                for name in names where seen.insert(name).inserted {
                    cum[name] = (cum[name] ?? 0).saturatingAdd(value)
                }
            }
        }
        if diffBaseTotal > 0 { total = diffBaseTotal }
    }
}
