import ProfileModel
import Testing

@Suite struct ProfileMergeTests {
    @Test func mergingWithItselfDoublesValuesAndKeepsStructure() throws {
        let p = Fixtures.small()
        let merged = try p.merged(with: p)
        #expect(merged.samples.count == p.samples.count)
        #expect(merged.locations == p.locations)
        #expect(merged.functions == p.functions)
        #expect(merged.mappings == p.mappings)
        for (m, s) in zip(merged.samples, p.samples) {
            #expect(m.values == s.values.map { $0 * 2 })
            #expect(m.locationIDs == s.locationIDs)
        }
        #expect(merged.comments == p.comments, "duplicate comments are dropped")
        #expect(merged.timeNanos == p.timeNanos)
        #expect(merged.durationNanos == p.durationNanos, "same window, not doubled")
        try merged.validate()
    }

    @Test func reinternsAcrossDifferentIDLayouts() throws {
        let a = Fixtures.small()
        // The same content with ids shuffled and the arrays reordered.
        var b = a
        let shift: UInt64 = 100
        b.functions = a.functions.reversed().map {
            var f = $0
            f.id += shift
            return f
        }
        b.mappings = a.mappings.map {
            var m = $0
            m.id += shift
            return m
        }
        b.locations = a.locations.reversed().map { l in
            var l = l
            l.id += shift
            l.mappingID = l.mappingID == 0 ? 0 : l.mappingID + shift
            l.lines = l.lines.map { Line(functionID: $0.functionID + shift, line: $0.line, column: $0.column) }
            return l
        }
        b.samples = a.samples.map {
            var s = $0
            s.locationIDs = s.locationIDs.map { $0 + shift }
            return s
        }
        b.timeNanos = a.timeNanos + 1_000_000_000

        let merged = try a.merged(with: b)
        #expect(merged.locations.count == a.locations.count)
        #expect(merged.functions.count == a.functions.count)
        #expect(FoldedStacks.render(merged, valueIndex: 0) == FoldedStacks.render(try a.merged(with: a), valueIndex: 0))
        #expect(merged.durationNanos == 2_000_000_000, "consecutive windows span both")
    }

    @Test func rejectsDifferentSampleTypes() {
        let a = Fixtures.small()
        var b = a
        b.sampleTypes[1].unit = "microseconds"
        #expect {
            try a.merged(with: b)
        } throws: { error in
            (error as? ProfileError)?.code == .incompatibleProfiles
        }
    }

    @Test func rejectsDifferentPeriodTypes() {
        let a = Fixtures.small()
        var b = a
        b.periodType = ValueType(type: "wall", unit: "nanoseconds")
        #expect(throws: ProfileError.self) { try a.merged(with: b) }
    }

    @Test func rejectsInvalidInput() {
        let a = Fixtures.small()
        var b = a
        b.samples[0].locationIDs = [999]
        #expect {
            try a.merged(with: b)
        } throws: { error in
            (error as? ProfileError)?.message == "invalid pprof: sample 0 refers to location 999 which does not exist"
        }
    }

    @Test func headerRules() throws {
        var a = Profile(sampleTypes: Fixtures.samplesAndCPU, timeNanos: 0, durationNanos: 5, period: 3)
        var b = a
        b.period = 9
        b.durationNanos = 7
        b.defaultSampleType = "cpu"
        b.comments = ["b"]
        a.comments = ["a"]
        let merged = try Profile.merge([a, b])
        #expect(merged.period == 9)
        #expect(merged.durationNanos == 12, "no start times: durations add up")
        #expect(merged.defaultSampleType == "cpu")
        #expect(merged.comments == ["a", "b"])
        #expect(throws: ProfileError.self) { try Profile.merge([]) }
    }
}
