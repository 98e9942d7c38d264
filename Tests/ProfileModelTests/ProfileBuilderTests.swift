import Testing

@testable import ProfileModel

@Suite struct ProfileBuilderTests {
    private func builder() -> ProfileBuilder {
        ProfileBuilder(
            sampleTypes: Fixtures.samplesAndCPU, periodType: Fixtures.cpuPeriod, period: Fixtures.period,
            timeNanos: 1, durationNanos: 2)
    }

    @Test func internsMappingsFunctionsAndLocations() {
        var b = builder()
        let m1 = b.mapping(
            start: 1, limit: 2, offset: 0, file: "/a", buildID: "x", hasFunctions: true, hasFilenames: false,
            hasLineNumbers: false, hasInlineFrames: false)
        let m2 = b.mapping(
            start: 1, limit: 2, offset: 0, file: "/a", buildID: "x", hasFunctions: true, hasFilenames: false,
            hasLineNumbers: false, hasInlineFrames: false)
        let m3 = b.mapping(
            start: 1, limit: 2, offset: 0, file: "/a", buildID: "x", hasFunctions: false, hasFilenames: false,
            hasLineNumbers: false, hasInlineFrames: false)
        #expect(m1 == 1 && m2 == 1 && m3 == 2)

        let f1 = b.function(name: "f", systemName: "_f", filename: "f.c")
        let f2 = b.function(name: "f", systemName: "_f", filename: "f.c")
        let g = b.function(name: "f", systemName: "_f", filename: "f.c", startLine: 3)
        #expect(f1 == 1 && f2 == 1 && g == 2)

        let l1 = b.location(mappingID: m1, address: 0x10, lines: [Line(functionID: f1, line: 1)])
        let l2 = b.location(mappingID: m1, address: 0x10, lines: [Line(functionID: f1, line: 1)])
        let l3 = b.location(mappingID: m1, address: 0x10, lines: [Line(functionID: f1, line: 2)])
        let l4 = b.location(mappingID: m3, address: 0x10, lines: [Line(functionID: f1, line: 1)])
        #expect([l1, l2, l3, l4] == [1, 1, 2, 3])

        let profile = b.build()
        #expect(profile.mappings.map(\.id) == [1, 2])
        #expect(profile.functions.map(\.id) == [1, 2])
        #expect(profile.locations.map(\.id) == [1, 2, 3])
        #expect(throws: Never.self) { try profile.validate() }
    }

    @Test func mergesSamplesWithEqualStacksAndLabelSets() {
        var b = builder()
        let f = b.function(name: "f", systemName: "", filename: "")
        let l = b.location(mappingID: 0, address: 0, lines: [Line(functionID: f, line: 0)])
        b.addSample(locationIDs: [l], values: [1, 10], labels: [.number("pid", 1), .string("comm", "a")])
        b.addSample(locationIDs: [l], values: [2, 20], labels: [.string("comm", "a"), .number("pid", 1)])
        b.addSample(locationIDs: [l], values: [4, 40], labels: [.string("comm", "b"), .number("pid", 1)])
        b.addSample(locationIDs: [l, l], values: [8, 80], labels: [.string("comm", "a"), .number("pid", 1)])
        let profile = b.build()
        #expect(profile.samples.count == 3)
        #expect(profile.samples[0].values == [3, 30])
        #expect(profile.samples[0].labels == [.number("pid", 1), .string("comm", "a")], "first order is kept")
        #expect(profile.samples[1].values == [4, 40])
        #expect(profile.samples[2].values == [8, 80])
    }

    @Test func mergedValuesSaturateInsteadOfTrapping() {
        var b = builder()
        b.addSample(locationIDs: [], values: [.max, .min], labels: [])
        b.addSample(locationIDs: [], values: [1, -1], labels: [])
        #expect(b.build().samples[0].values == [.max, .min])
    }

    @Test func dropsEmptyStringLabels() {
        var b = builder()
        b.addSample(locationIDs: [], values: [1, 1], labels: [.string("comm", ""), .number("pid", 0)])
        #expect(b.build().samples[0].labels == [.number("pid", 0)])
    }

    @Test func buildKeepsHeaderAndComments() {
        var b = ProfileBuilder(
            sampleTypes: Fixtures.samplesAndCPU, periodType: Fixtures.cpuPeriod, period: 7, timeNanos: 11,
            durationNanos: 13, defaultSampleType: "cpu")
        b.addComment("one")
        b.addComment("two")
        b.setFrameFilters(drop: "runtime\\..*", keep: "")
        b.setDocURL("https://example.com/doc")
        let p = b.build()
        #expect(p.sampleTypes == Fixtures.samplesAndCPU)
        #expect(p.periodType == Fixtures.cpuPeriod && p.period == 7)
        #expect(p.timeNanos == 11 && p.durationNanos == 13)
        #expect(p.defaultSampleType == "cpu" && p.comments == ["one", "two"])
        #expect(p.dropFrames == "runtime\\..*" && p.docURL == "https://example.com/doc")
    }

    @Test func buildIsASnapshot() {
        var b = builder()
        b.addSample(locationIDs: [], values: [1, 1], labels: [])
        let first = b.build()
        b.addSample(locationIDs: [], values: [1, 1], labels: [])
        #expect(first.samples[0].values == [1, 1])
        #expect(b.build().samples[0].values == [2, 2])
    }
}
