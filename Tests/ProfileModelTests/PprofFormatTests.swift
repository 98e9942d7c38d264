import Testing

@testable import ProfileModel

@Suite struct PprofFormatTests {
    @Test(arguments: [
        (Int64(1_600_000_000), "nanoseconds", "auto", "1.60s"),
        (250_000_000, "nanoseconds", "auto", "250ms"),
        (10_000, "nanoseconds", "auto", "10us"),
        (999, "nanoseconds", "auto", "999ns"),
        (0, "nanoseconds", "auto", "0"),
        (-1_500_000, "nanoseconds", "auto", "-1.50ms"),
        (7_200_000_000_000, "nanoseconds", "auto", "2hrs"),
        (10_000_000, "nanoseconds", "s", "0.01s"),
        (4_000_000, "nanoseconds", "s", "0"),
        (1536, "bytes", "auto", "1.50kB"),
        (3 << 20, "bytes", "auto", "3MB"),
        (512, "bytes", "auto", "512B"),
        (42, "count", "count", "42"),
        (42, "", "count", "42"),
        (42, "requests", "auto", "42"),
        (.min, "nanoseconds", "auto", "-9223372036.85s"),
        (.max, "count", "count", "9223372036854775808"),  // via Double, as Go's %.2f
    ])
    func scaledLabels(value: Int64, from: String, to: String, expected: String) {
        #expect(PprofFormat.scaledLabel(value, from: from, to: to) == expected)
    }

    @Test(arguments: [
        (Int64(1600), Int64(2480), "64.52%"),
        (2480, 2480, "  100%"),
        (2479, 2480, "  100%"),
        (5, 1000, "  0.5%"),
        (1, 7000, "0.014%"),
        (1, 1_000_000_000, "1e-07%"),
        (0, 10, "    0%"),
        (5, 0, "    0%"),
        (-30, 100, "30.00%"),
        (1, 100, " 1.00%"),
        (999, 100_000, "    1%"),
        (99, 10_000, " 0.99%"),
        (9999, 1_000_000, "    1%"),
    ])
    func percentages(value: Int64, total: Int64, expected: String) {
        #expect(PprofFormat.percentage(value, of: total) == expected)
    }

    @Test func fixedAndSignificantDigits() {
        #expect(PprofFormat.fixed(0.125, decimals: 2) == "0.12")
        #expect(PprofFormat.fixed(2.5, decimals: 0) == "2")
        #expect(PprofFormat.fixed(-0.001, decimals: 2) == "-0.00")
        #expect(PprofFormat.fixed(9.223372036854776e18, decimals: 2) == "9223372036854775808.00")
        #expect(PprofFormat.twoSignificantDigits(0.0999) == "0.1")
        #expect(PprofFormat.twoSignificantDigits(0.000123) == "0.00012")
        #expect(PprofFormat.twoSignificantDigits(0.0000123) == "1.2e-05")
        #expect(PprofFormat.twoSignificantDigits(25) == "25")
        #expect(PprofFormat.twoSignificantDigits(123) == "1.2e+02")
    }

    @Test func outputUnitFollowsSmallestValue() {
        #expect(
            PprofFormat.outputUnit(sampleUnit: "nanoseconds", smallestValue: 10_000_000, total: 2_480_000_000) == "s")
        #expect(PprofFormat.outputUnit(sampleUnit: "nanoseconds", smallestValue: 10_000, total: 250_000_000) == "ms")
        #expect(PprofFormat.outputUnit(sampleUnit: "nanoseconds", smallestValue: 0, total: 0) == "s")
        #expect(PprofFormat.outputUnit(sampleUnit: "count", smallestValue: 1, total: 10) == "count")
        #expect(PprofFormat.outputUnit(sampleUnit: "bytes", smallestValue: 2048, total: 1 << 30) == "kB")
    }
}
