/// The standard normal distribution's two-sided tail, in pure Swift (ProfileModel links no C, not even libm).
///
/// Accuracy: ``exp(_:)`` is within a few ulps on its whole range; ``erfc(_:)`` follows Numerical Recipes' `erfcc`
/// (a Chebyshev fit) with a relative error below 1.2e-7 everywhere, including the far tail that significance tests
/// with a multiple-comparison correction live in.
enum Normal {
    /// The probability that a standard normal variable is at least `|z|` away from 0: `erfc(|z| / √2)`.
    static func twoSidedPValue(_ z: Double) -> Double {
        guard z.isFinite else { return z.isNaN ? 1 : 0 }
        return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }

    /// The complementary error function.
    static func erfc(_ x: Double) -> Double {
        let z = abs(x)
        let t = 1 / (1 + 0.5 * z)
        var poly = 0.17087277
        for c in [-0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368] {
            poly = c + t * poly
        }
        let value = t * exp(-z * z - 1.26551223 + t * poly)
        return x >= 0 ? value : 2 - value
    }

    /// `e^x`: range reduction by ln 2 (split in two parts, as fdlibm does) and a Taylor polynomial on |r| ≤ ln2/2.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893384 { return .infinity }
        if x < -745.1332191019412 { return 0 }
        let ln2High = 6.93147180369123816490e-01
        let ln2Low = 1.90821492927058770002e-10
        let k = (x / (ln2High + ln2Low)).rounded()
        let r = (x - k * ln2High) - k * ln2Low
        // |r| ≤ 0.35: the 14th term is below 4e-18, under half an ulp of the sum.
        var term = 1.0
        var sum = 1.0
        for i in 1...13 {
            term *= r / Double(i)
            sum += term
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }
}
