/// The test behind a diff's significance marks.
///
/// Profilers sample: a function that truly uses 25 % of the CPU shows anywhere between about 22 % and 28 % of 800
/// samples. Subtracting two profiles (what `pprof -diff_base` does) cannot tell that noise from a change; these tests
/// can. All of them are corrected for testing every function at once (see ``holmAdjusted(_:)``).
public enum SignificanceTest: String, Sendable, Hashable, Codable {
    /// Relative diffs of sides without windows: the pooled two-proportion z-test on sample counts. Each sample is a
    /// trial that lands in a function or not; the test asks whether the function's share differs between the sides
    /// by more than binomial sampling explains.
    case twoProportion = "two_proportion"
    /// Absolute diffs of sides without windows: the conditional test for two Poisson counts with equal exposure
    /// (`z = (new − base) / √(new + base)`): do the raw sample counts differ by more than counting noise?
    case poisson
    /// Both sides come with windows (e.g. from the store): the standard error of the change is estimated by
    /// resampling each side's windows with replacement, which also captures variation between windows that
    /// sampling alone does not explain (load, frequency scaling). It is never taken below the binomial or Poisson
    /// standard error, so a few very similar windows cannot make noise look significant.
    case windowBootstrap = "window_bootstrap"
    /// The profiles have no column of sample counts (nor one the period converts to counts): nothing is marked.
    case none

    /// A phrase for report headers.
    public var summary: String {
        switch self {
        case .twoProportion: return "two-proportion z-test on sample counts"
        case .poisson: return "Poisson test on sample counts"
        case .windowBootstrap: return "bootstrap over windows (standard error at least the binomial one)"
        case .none: return "none (the profiles have no sample counts)"
        }
    }
}

/// The statistics of one change; all functions are pure.
enum DiffStatistics {
    /// Windows each side needs before a bootstrap over them is trusted; with fewer, the variance between windows is
    /// too poorly estimated and the count-based test is used.
    static let minimumWindows = 8

    /// z of the pooled two-proportion test: `x` of `n` samples on each side; 0 when there is no variance.
    static func twoProportionZ(base x1: Int64, of n1: Int64, new x2: Int64, of n2: Int64) -> Double {
        guard n1 > 0, n2 > 0 else { return 0 }
        let se = twoProportionSE(base: x1, of: n1, new: x2, of: n2)
        guard se > 0 else { return 0 }
        return (Double(x2) / Double(n2) - Double(x1) / Double(n1)) / se
    }

    /// The pooled standard error of `x2/n2 − x1/n1` under "no change".
    static func twoProportionSE(base x1: Int64, of n1: Int64, new x2: Int64, of n2: Int64) -> Double {
        guard n1 > 0, n2 > 0 else { return 0 }
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))
        return variance > 0 ? variance.squareRoot() : 0
    }

    /// The standard error of `x2 − x1` for two Poisson counts under "no change".
    static func poissonSE(base x1: Int64, new x2: Int64) -> Double {
        let sum = Double(x1) + Double(x2)
        return sum > 0 ? sum.squareRoot() : 0
    }

    /// Holm's step-down adjustment of `pValues`: adjusted values in the same order, each compared with alpha.
    ///
    /// Why Holm: a diff tests every function at once, and an uncorrected test at 1 % would mark about one function
    /// in a hundred as changed by chance alone — a CI gate would fail at random. Holm controls the family-wise error
    /// rate (the chance of any false mark) at alpha like Bonferroni, under any dependence between the tests (function
    /// shares are dependent: they sum to 100 %), and is uniformly more powerful than Bonferroni. A false-discovery
    /// rate procedure (Benjamini–Hochberg) would mark more, but a gate that fails must be trusted, so the stricter
    /// guarantee is the right one here.
    static func holmAdjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
