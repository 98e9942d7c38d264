import ProfileModel
import Testing

@testable import ProfileModel

/// The numbers behind the significance marks, against values computed independently (Python's `math.erfc`).
@Suite struct DiffStatisticsTests {
    func close(_ a: Double, _ b: Double, relative: Double) -> Bool {
        abs(a - b) <= relative * abs(b)
    }

    @Test func expAndErfcMatchReferenceValues() {
        #expect(close(Normal.exp(1), 2.718281828459045, relative: 1e-15))
        #expect(close(Normal.exp(10), 22026.465794806718, relative: 1e-14))
        #expect(close(Normal.exp(-700), 9.85967654375977e-305, relative: 1e-13))
        #expect(Normal.exp(-800) == 0 && Normal.exp(800) == .infinity)
        #expect(close(Normal.erfc(1), 0.15729920705028513, relative: 1.2e-7))
        #expect(close(Normal.erfc(3), 2.2090496998585438e-05, relative: 1.2e-7))
        #expect(close(Normal.erfc(6), 2.1519736712498916e-17, relative: 1.2e-7))
        #expect(close(Normal.erfc(-1), 2 - 0.15729920705028513, relative: 1e-7))
        #expect(close(Normal.twoSidedPValue(1.959963984540054), 0.05, relative: 1e-6))
        #expect(Normal.twoSidedPValue(0) == 1)
    }

    @Test func twoProportionZTest() {
        // 250 of 1000 against 500 of 1000: pooled p = 0.375.
        let z = DiffStatistics.twoProportionZ(base: 250, of: 1000, new: 500, of: 1000)
        #expect(close(z, 11.547005383792515, relative: 1e-12))
        #expect(close(Normal.twoSidedPValue(z), 7.643758385631323e-31, relative: 1e-6))
        let borderline = DiffStatistics.twoProportionZ(base: 100, of: 1000, new: 130, of: 1000)
        #expect(close(borderline, 2.102740605622114, relative: 1e-12))
        #expect(close(Normal.twoSidedPValue(borderline), 0.03548845046647473, relative: 1e-6))
        #expect(DiffStatistics.twoProportionZ(base: 0, of: 10, new: 0, of: 10) == 0, "no variance, no change")
        #expect(DiffStatistics.twoProportionZ(base: 1, of: 0, new: 1, of: 10) == 0)
    }

    @Test func holmAdjustment() {
        let adjusted = DiffStatistics.holmAdjusted([0.01, 0.04, 0.03, 0.005])
        for (value, expected) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) {
            #expect(close(value, expected, relative: 1e-12), "\(adjusted)")
        }
        #expect(DiffStatistics.holmAdjusted([0.6, 0.9]) == [1, 1], "capped at 1")
        #expect(DiffStatistics.holmAdjusted([]).isEmpty)
    }

    @Test func apportionKeepsSumsExact() {
        #expect(Apportion.scale([1, 1, 1], to: 2) == [1, 1, 0])
        #expect(Apportion.scale([750, 250], to: 500) == [375, 125])
        #expect(Apportion.scale([3, 3, 4], to: 7).reduce(0, +) == 7)
        #expect(Apportion.scale([0, 0], to: 5) == [0, 0], "no ratio without a sum")
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let parts = (0..<Int.random(in: 1...20, using: &rng)).map { _ in Int64.random(in: 0...1_000_000, using: &rng) }
            guard parts.reduce(0, +) > 0 else { continue }
            let target = Int64.random(in: 0...10_000_000, using: &rng)
            let scaled = Apportion.scale(parts, to: target)
            #expect(scaled.reduce(0, +) == target && scaled.allSatisfy { $0 >= 0 })
        }
    }
}
