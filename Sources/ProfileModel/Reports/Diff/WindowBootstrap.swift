/// Bootstrap standard errors of every function's change, resampling each side's windows with replacement.
///
/// A resample draws as many windows as a side has, with replacement, and recomputes each function's change from the
/// drawn windows' sample counts: `x_new/N_new − x_base/N_base` (relative) or `x_new − x_base` (absolute). The
/// standard deviation of that change over all resamples is its standard error. Deterministic for a given seed.
struct WindowBootstrap {
    /// Multiply-adds one bootstrap may spend (about 0.1 s optimized).
    static let budget = 50_000_000

    /// Per function, in the order of `names`: standard errors of the flat and of the cumulative change.
    var flat: [Double]
    var cum: [Double]

    /// One side's counts: `counts[window * functions + function]`.
    private struct Side {
        var flat: [Double]
        var cum: [Double]
        var totals: [Double]
        var windows: Int { totals.count }

        init(_ windows: [FunctionTotals], names: [String]) {
            let f = names.count
            flat = [Double](repeating: 0, count: windows.count * f)
            cum = flat
            totals = windows.map { Double($0.total) }
            for (w, window) in windows.enumerated() {
                for (i, name) in names.enumerated() {
                    flat[w * f + i] = Double(window.flat[name] ?? 0)
                    cum[w * f + i] = Double(window.cum[name] ?? 0)
                }
            }
        }

        /// Draws a resample: how often each window was drawn.
        func draw(using rng: inout SplitMix64) -> [Int] {
            var weights = [Int](repeating: 0, count: windows)
            for _ in 0..<windows { weights[Int.random(in: 0..<windows, using: &rng)] += 1 }
            return weights
        }

        /// The weighted sums of flat and cum counts, and of the totals.
        func sums(_ weights: [Int], functions f: Int) -> (flat: [Double], cum: [Double], total: Double) {
            var flatSum = [Double](repeating: 0, count: f)
            var cumSum = flatSum
            var total = 0.0
            for (w, weight) in weights.enumerated() where weight > 0 {
                let scale = Double(weight)
                total += scale * totals[w]
                let offset = w * f
                for i in 0..<f {
                    flatSum[i] += scale * flat[offset + i]
                    cumSum[i] += scale * cum[offset + i]
                }
            }
            return (flatSum, cumSum, total)
        }
    }

    init(
        base: [FunctionTotals], new: [FunctionTotals], names: [String], normalization: DiffNormalization,
        resamples: Int, seed: UInt64
    ) {
        let f = names.count
        let sides = (Side(base, names: names), Side(new, names: names))
        var rng = SplitMix64(seed: seed)
        var flatStats = [RunningVariance](repeating: RunningVariance(), count: f)
        var cumStats = flatStats
        // Each resample costs functions × windows; a whole-host diff (thousands of functions) gets fewer resamples,
        // never under 200, which still estimates a standard error within about 5 %.
        let work = max(1, f * (sides.0.windows + sides.1.windows))
        let count = min(max(2, resamples), max(200, Self.budget / work))
        for _ in 0..<count {
            let b = sides.0.sums(sides.0.draw(using: &rng), functions: f)
            let n = sides.1.sums(sides.1.draw(using: &rng), functions: f)
            guard normalization == .absolute || (b.total > 0 && n.total > 0) else { continue }
            for i in 0..<f {
                switch normalization {
                case .relative:
                    flatStats[i].add(n.flat[i] / n.total - b.flat[i] / b.total)
                    cumStats[i].add(n.cum[i] / n.total - b.cum[i] / b.total)
                case .absolute:
                    flatStats[i].add(n.flat[i] - b.flat[i])
                    cumStats[i].add(n.cum[i] - b.cum[i])
                }
            }
        }
        flat = flatStats.map(\.standardDeviation)
        cum = cumStats.map(\.standardDeviation)
    }
}

/// Welford's running mean and variance.
struct RunningVariance {
    private var count = 0
    private var mean = 0.0
    private var squares = 0.0

    mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        squares += delta * (x - mean)
    }

    /// The sample standard deviation; 0 with fewer than two values.
    var standardDeviation: Double { count > 1 ? (squares / Double(count - 1)).squareRoot() : 0 }
}

/// SplitMix64: a small, fast, seedable generator, so a bootstrap reproduces exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
