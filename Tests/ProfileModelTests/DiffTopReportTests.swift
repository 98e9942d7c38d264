import Foundation
import ProfileModel
import Testing

/// `DiffTopReport` on constructed profiles whose answers are known (see DiffStatisticsTests for the numbers).
@Suite struct DiffTopReportTests {
    func row(_ report: DiffTopReport, _ name: String) throws -> DiffTopReport.Row {
        try #require(report.rows.first { $0.name == name }, "\(report.rows.map(\.name))")
    }

    @Test func shiftedSplitIsASignificantRegression() throws {
        let report = try DiffTopReport(base: StackProfiles.split(750, 250), new: StackProfiles.split(500, 500))
        #expect(report.test == .twoProportion && report.normalization == .relative)
        #expect(report.type == "cpu" && report.unit == "nanoseconds", "the default column is shown")
        #expect(report.baseSamples == 1000 && report.newSamples == 1000)
        let hotB = try row(report, "hot_b")
        #expect(hotB.flat.base == 25 && hotB.flat.new == 50 && hotB.flat.delta == 25)
        #expect(abs((hotB.flat.z ?? 0) - 11.547005383792515) < 1e-9)
        #expect(hotB.flat.significant && hotB.cum.significant)
        #expect(try row(report, "hot_a").flat.delta == -25)
        // work and main are in every stack: their cumulative share cannot change, and they are never leaves.
        let work = try row(report, "work")
        #expect(work.cum.delta == 0 && !work.cum.significant && work.flat.pValue == nil)
        #expect(report.rows.prefix(2).map(\.name).sorted() == ["hot_a", "hot_b"], "largest changes first")
        #expect(report.regressions(threshold: 5).map(\.name) == ["hot_b"])
        #expect(report.regressions(threshold: 25).isEmpty, "growth must exceed the threshold")
        let text = report.render()
        #expect(text.contains("+25.00pp *") && text.contains("2 significant changes."), "\(text)")
    }

    @Test func jsonForTheHTTPAPI() throws {
        let report = try DiffTopReport(base: StackProfiles.split(750, 250), new: StackProfiles.split(500, 500))
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(DiffTopReport.self, from: data) == report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["base_total"] as? Int == 1000 * Int(Fixtures.period) && json["base_samples"] as? Int == 1000)
        #expect(json["test"] as? String == "two_proportion" && json["normalization"] as? String == "relative")
        let first = try #require((json["rows"] as? [[String: Any]])?.first)
        let flat = try #require(first["flat"] as? [String: Any])
        #expect(Set(flat.keys) == ["base", "new", "delta", "z", "p_value", "adjusted_p_value", "significant"])
        #expect(flat["significant"] as? Bool == true && first["base_flat"] != nil && first["new_cum"] != nil)
    }

    @Test func identicalSidesShowNoChange() throws {
        let report = try DiffTopReport(base: StackProfiles.split(750, 250), new: StackProfiles.split(750, 250))
        #expect(report.significantRows.isEmpty && report.rows.allSatisfy { $0.flat.delta == 0 })
        #expect(report.regressions(threshold: 0).isEmpty)
        #expect(report.render().contains("No significant change."))
    }

    @Test func holmCorrectionHoldsBackABorderlineChange() throws {
        // 100 → 130 of 1000: p = 0.0355 uncorrected, 0.071 after Holm over the two leaf functions.
        let base = StackProfiles.cpu(["main;f": 100, "main;g": 900])
        let new = StackProfiles.cpu(["main;f": 130, "main;g": 870])
        let strict = try DiffTopReport(base: base, new: new, options: DiffOptions(alpha: 0.05))
        let f = try row(strict, "f")
        #expect(abs((f.flat.pValue ?? 0) - 0.03548845046647473) < 1e-7)
        #expect(abs((f.flat.adjustedPValue ?? 0) - 0.07097690093294946) < 1e-7)
        #expect(!f.flat.significant, "significant before correction, not after")
        let loose = try DiffTopReport(base: base, new: new, options: DiffOptions(alpha: 0.1))
        #expect(try row(loose, "f").flat.significant)
    }

    @Test func absoluteUsesRawValuesAndThePoissonTest() throws {
        let base = StackProfiles.cpu(["main;f": 100, "main;g": 900])
        let new = StackProfiles.cpu(["main;f": 150, "main;g": 900])
        let report = try DiffTopReport(
            base: base, new: new, options: DiffOptions(normalization: .absolute, sampleIndex: 0))
        #expect(report.test == .poisson && report.type == "samples")
        let f = try row(report, "f")
        #expect(f.flat.base == 100 && f.flat.new == 150 && f.flat.delta == 50)
        #expect(abs((f.flat.z ?? 0) - 3.1622776601683795) < 1e-9)
        #expect(abs((f.flat.pValue ?? 0) - 0.0015654022580025488) < 1e-8)
        #expect(try row(report, "g").flat.delta == 0)
        #expect(report.render().contains("+50 *"), "\(report.render())")
    }

    @Test func countsComeFromThePeriodWithoutACountColumn() throws {
        let cpuOnly = [Fixtures.cpuPeriod]
        let base = StackProfiles.cpu(["main;f": 250, "main;g": 750], sampleTypes: cpuOnly)
        let new = StackProfiles.cpu(["main;f": 500, "main;g": 500], sampleTypes: cpuOnly)
        let report = try DiffTopReport(base: base, new: new)
        #expect(report.test == .twoProportion && report.baseSamples == 1000)
        #expect(abs((try row(report, "f").flat.z ?? 0) - 11.547005383792515) < 1e-9)

        // Neither a count column nor a period: nothing can be tested, and the gate falls back to the threshold.
        let bytes = [ValueType(type: "alloc_space", unit: "bytes")]
        let untested = try DiffTopReport(
            base: StackProfiles.cpu(["main;f": 250, "main;g": 750], sampleTypes: bytes, periodType: nil),
            new: StackProfiles.cpu(["main;f": 500, "main;g": 500], sampleTypes: bytes, periodType: nil))
        #expect(untested.test == .none && untested.significantRows.isEmpty)
        #expect(untested.regressions(threshold: 10).map(\.name) == ["f"])
        #expect(untested.render().contains("No significance test"))
    }

    @Test func bootstrapOverWindowsSeesVariationBetweenWindows() throws {
        // The base is steady at 25 % hot_b; the new side swings between 10 % and 70 % from window to window. Pooled,
        // hot_b went from 25 % to 40 % of 1000 samples, which counting noise cannot explain; but windows this
        // different make a 15 point change well within their variation.
        let base = (0..<10).map { _ in StackProfiles.split(75, 25) }
        let new = (0..<10).map { $0.isMultiple(of: 2) ? StackProfiles.split(90, 10) : StackProfiles.split(30, 70) }
        let pooled = try DiffTopReport(base: try Profile.merge(base), new: try Profile.merge(new))
        let pooledRow = try row(pooled, "hot_b")
        #expect(pooled.test == .twoProportion && pooledRow.flat.significant)
        let windowed = try DiffTopReport(base: try DiffSide(windows: base), new: try DiffSide(windows: new))
        #expect(windowed.test == .windowBootstrap)
        let hotB = try row(windowed, "hot_b")
        #expect(abs(hotB.flat.delta - 15) < 1e-9)
        #expect(!hotB.flat.significant, "z \(hotB.flat.z ?? 0)")
        #expect(abs(hotB.flat.z ?? 0) < 2.5 && abs(hotB.flat.z ?? 0) > 1, "z \(hotB.flat.z ?? 0)")
        // Deterministic: the same seed gives the same answer.
        #expect(try DiffTopReport(base: try DiffSide(windows: base), new: try DiffSide(windows: new)) == windowed)

        // Steady windows vary no more than counting explains: the binomial standard error is the floor.
        let steady = try DiffTopReport(
            base: try DiffSide(windows: base), new: try DiffSide(windows: (0..<10).map { _ in StackProfiles.split(50, 50) }))
        #expect(steady.test == .windowBootstrap)
        #expect(abs((try row(steady, "hot_b").flat.z ?? 0) - 11.547005383792515) < 1e-9)

        // Too few windows to trust a bootstrap: the count test is used.
        let few = try DiffTopReport(
            base: try DiffSide(windows: Array(base.prefix(3))), new: try DiffSide(windows: Array(new.prefix(3))))
        #expect(few.test == .twoProportion)
    }

    @Test func incompatibleOrEmptySidesThrowOneLine() {
        let split = StackProfiles.split(3, 1)
        #expect {
            try DiffTopReport(base: split, new: StackProfiles.split(3, 1).withPeriod(Fixtures.period / 2))
        } throws: { error in
            let error = error as? ProfileError
            return error?.code == .incompatibleProfiles && error?.message.contains("same frequency") == true
        }
        #expect {
            try DiffTopReport(base: split, new: StackProfiles.cpu(["main;f": 1], sampleTypes: [Fixtures.cpuPeriod]))
        } throws: { error in
            (error as? ProfileError)?.code == .incompatibleProfiles
                && (error as? ProfileError)?.message.contains("sample types") == true
        }
        #expect {
            try DiffTopReport(base: Profile(sampleTypes: Fixtures.samplesAndCPU), new: split)
        } throws: { error in
            (error as? ProfileError)?.code == .emptyInput
                && (error as? ProfileError)?.message == "cannot diff: the base profile has no samples (cpu/nanoseconds sums to 0)"
        }
        #expect(throws: ProfileError.self) {
            try DiffTopReport(base: split, new: split, options: DiffOptions(sampleIndex: 7))
        }
    }
}

extension Profile {
    func withPeriod(_ period: Int64) -> Profile {
        var copy = self
        copy.period = period
        return copy
    }
}
