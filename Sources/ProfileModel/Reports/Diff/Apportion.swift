/// Integer scaling that keeps sums exact.
enum Apportion {
    /// `parts` scaled by `target / Σ parts` and rounded so that they sum to exactly `target` (the largest remainder
    /// method: round every part down, then give the units left to the parts with the largest fractions, earlier
    /// parts first on ties). Non-negative parts stay non-negative. When the parts sum to zero there is no ratio and
    /// they are returned unchanged.
    static func scale(_ parts: [Int64], to target: Int64) -> [Int64] {
        let sum = parts.reduce(Int64(0)) { $0.saturatingAdd($1) }
        guard sum != 0, !parts.isEmpty else { return parts }
        let ratio = Double(target) / Double(sum)
        let exact = parts.map { Double($0) * ratio }
        var result = exact.map { Int64(clamping: $0.rounded(.down)) }
        var remainder = target.saturatingAdd(-result.reduce(Int64(0)) { $0.saturatingAdd($1) })
        let order = exact.indices.sorted { a, b in
            let (fa, fb) = (exact[a] - exact[a].rounded(.down), exact[b] - exact[b].rounded(.down))
            return fa != fb ? fa > fb : a < b
        }
        for index in order where remainder > 0 {
            result[index] += 1
            remainder -= 1
        }
        // Only floating-point error at huge magnitudes leaves anything over; the largest part absorbs it.
        if remainder != 0, let largest = result.indices.max(by: { abs(exact[$0]) < abs(exact[$1]) }) {
            result[largest] = result[largest].saturatingAdd(remainder)
        }
        return result
    }
}

extension Int64 {
    /// `value` rounded toward zero and clamped to the representable range (NaN becomes 0).
    init(clamping value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2233720368547748e18 {
            self = .max
        } else if value <= -9.2233720368547758e18 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}
