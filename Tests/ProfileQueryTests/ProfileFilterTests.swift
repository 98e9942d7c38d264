import ProfileModel
import ProfileQuery
import Testing

@Suite struct ProfileFilterTests {
    private static let types = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]

    /// Sparse, out-of-order ids and entities nothing refers to, so compaction has work to do.
    ///
    /// - sample 0: app (pid 1): main <- work
    /// - sample 1: python3 (pid 2): main <- py_eval
    /// - sample 2: python3 (pid 3): py_eval <- memcpy (libc)
    /// - sample 3: no labels: an unsymbolized kernel address
    private static func fixture() -> Profile {
        let app = Mapping(id: 30, start: 0x1000, limit: 0x2000, offset: 0, file: "/usr/bin/app", buildID: "aa")
        let libc = Mapping(id: 10, start: 0x7000, limit: 0x8000, offset: 0x100, file: "/usr/lib/libc.so.6")
        let unused = Mapping(id: 20, start: 0x9000, limit: 0xa000, offset: 0, file: "/usr/lib/unused.so")
        let functions = [
            Function(id: 5, name: "main", systemName: "main", filename: "main.c", startLine: 1),
            Function(id: 4, name: "work"), Function(id: 3, name: "py_eval"), Function(id: 2, name: "memcpy"),
            Function(id: 1, name: "orphan"),
        ]
        let locations = [
            Location(id: 100, mappingID: 30, address: 0x1010, lines: [Line(functionID: 5, line: 10)]),
            Location(id: 200, mappingID: 30, address: 0x1020, lines: [Line(functionID: 4, line: 20)]),
            Location(
                id: 300, mappingID: 30, address: 0x1030,
                lines: [Line(functionID: 3, line: 30, column: 2), Line(functionID: 0, line: 0)]),
            Location(id: 400, mappingID: 10, address: 0x7010, lines: [Line(functionID: 2, line: 0)], isFolded: true),
            Location(id: 500, mappingID: 0, address: 0xffff_ffff_8100_0000, lines: []),
            Location(id: 600, mappingID: 20, address: 0x9010, lines: [Line(functionID: 1, line: 1)]),
        ]
        let samples = [
            Sample(locationIDs: [200, 100], values: [1, 10], labels: [.string("comm", "app"), .number("pid", 1)]),
            Sample(
                locationIDs: [300, 100], values: [2, 20], labels: [.string("comm", "python3"), .number("pid", 2)]),
            Sample(
                locationIDs: [400, 300], values: [3, 30], labels: [.string("comm", "python3"), .number("pid", 3)]),
            Sample(locationIDs: [500], values: [4, 40]),
        ]
        return Profile(
            sampleTypes: types, samples: samples, mappings: [app, libc, unused], locations: locations,
            functions: functions, dropFrames: "drop", keepFrames: "keep", timeNanos: 123, durationNanos: 456,
            periodType: types[1], period: 10_101_010, comments: ["c1"], defaultSampleType: "cpu",
            docURL: "https://example.com")
    }

    /// Each sample as text that does not depend on ids: frames with mapping file and function names, values, labels.
    private func resolved(_ profile: Profile) -> [String] {
        profile.samples.map { sample in
            let frames = sample.locationIDs.map { id -> String in
                guard let location = profile.location(id: id) else { return "?\(id)" }
                let file = profile.mapping(id: location.mappingID)?.file ?? "-"
                let names = location.lines.map { line in
                    "\(profile.function(id: line.functionID)?.name ?? "-"):\(line.line):\(line.column)"
                }
                return "\(file)@\(location.address)[\(names.joined(separator: ","))]\(location.isFolded ? "F" : "")"
            }
            return "\(frames.joined(separator: ";")) \(sample.values) \(sample.labels.map(\.description))"
        }
    }

    /// Ids are `1...n` in order and every location, function and mapping is referenced.
    private func expectCompact(_ profile: Profile, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try profile.validate()
        #expect(profile.locations.map(\.id) == denseIDs(profile.locations.count), sourceLocation: sourceLocation)
        #expect(profile.functions.map(\.id) == denseIDs(profile.functions.count), sourceLocation: sourceLocation)
        #expect(profile.mappings.map(\.id) == denseIDs(profile.mappings.count), sourceLocation: sourceLocation)
        let usedLocations = Set(profile.samples.flatMap(\.locationIDs))
        let usedFunctions = Set(profile.locations.flatMap { $0.lines.map(\.functionID) })
        let usedMappings = Set(profile.locations.map(\.mappingID))
        #expect(profile.locations.allSatisfy { usedLocations.contains($0.id) }, sourceLocation: sourceLocation)
        #expect(profile.functions.allSatisfy { usedFunctions.contains($0.id) }, sourceLocation: sourceLocation)
        #expect(profile.mappings.allSatisfy { usedMappings.contains($0.id) }, sourceLocation: sourceLocation)
    }

    private func denseIDs(_ count: Int) -> [UInt64] {
        (0..<count).map { UInt64($0) + 1 }
    }

    @Test func fixtureIsValid() throws {
        try Self.fixture().validate()
    }

    @Test func keepsExactlyTheMatchingSamples() throws {
        let profile = Self.fixture()
        let filtered = profile.filtered(by: try Selector(parsing: #"{comm="python3"}"#))
        try expectCompact(filtered)
        #expect(resolved(filtered) == Array(resolved(profile)[1...2]))
        #expect(filtered.locations.map(\.address) == [0x1010, 0x1030, 0x7010])
        #expect(filtered.functions.map(\.name) == ["main", "py_eval", "memcpy"])
        #expect(filtered.mappings.map(\.file) == ["/usr/bin/app", "/usr/lib/libc.so.6"])
        #expect(filtered.samples.map(\.locationIDs) == [[2, 1], [3, 2]])
        #expect(filtered.locations[1].lines[1].functionID == 0, "unknown functions stay unknown")
    }

    @Test func keepsHeaderFields() throws {
        let profile = Self.fixture()
        var filtered = profile.filtered(by: try Selector(parsing: #"{pid="1"}"#))
        #expect(resolved(filtered) == [resolved(profile)[0]])
        filtered.samples = profile.samples
        filtered.locations = profile.locations
        filtered.functions = profile.functions
        filtered.mappings = profile.mappings
        #expect(filtered == profile)
    }

    @Test func selectingEverythingStillCompacts() throws {
        let profile = Self.fixture()
        let filtered = profile.filtered(by: .all)
        try expectCompact(filtered)
        #expect(resolved(filtered) == resolved(profile))
        #expect(filtered.locations.count == 5)
        #expect(filtered.functions.map(\.name) == ["main", "work", "py_eval", "memcpy"])
        #expect(filtered.mappings.map(\.file) == ["/usr/bin/app", "/usr/lib/libc.so.6"])
    }

    @Test func absentLabelsSelectTheUnlabeledSample() throws {
        let profile = Self.fixture()
        let filtered = profile.filtered(by: try Selector(parsing: #"{comm=""}"#))
        try expectCompact(filtered)
        #expect(resolved(filtered) == [resolved(profile)[3]])
        #expect(filtered.mappings.isEmpty && filtered.functions.isEmpty)
        #expect(filtered.locations.map(\.mappingID) == [0])
    }

    @Test func selectingNothingLeavesAnEmptyValidProfile() throws {
        let filtered = Self.fixture().filtered(by: try Selector(parsing: #"{comm="nope"}"#))
        try filtered.validate()
        #expect(filtered.samples.isEmpty && filtered.locations.isEmpty)
        #expect(filtered.functions.isEmpty && filtered.mappings.isEmpty)
        #expect(filtered.sampleTypes == Self.types)
    }

    @Test func sampleOrderAndDuplicatesAreKept() throws {
        var profile = Self.fixture()
        profile.samples.append(profile.samples[1])
        let filtered = profile.filtered(by: try Selector(parsing: #"{pid=~"2|3"}"#))
        #expect(resolved(filtered) == [1, 2, 4].map { resolved(profile)[$0] })
    }

    /// Random profiles and selectors: the filter agrees with `Selector.matches` sample by sample, and the result is
    /// always valid and compact.
    @Test func randomProfiles() throws {
        var rng = SeededGenerator(seed: 0xF117E2)
        let selectors = try [
            #"{}"#, #"{comm="a"}"#, #"{comm!="a"}"#, #"{comm=~"[ab]"}"#, #"{pid=~"1.*", comm!~"c"}"#, #"{tid=""}"#,
            #"{comm="z"}"#,
        ].map { text in try Selector(parsing: text) }
        for _ in 0..<60 {
            let profile = randomProfile(using: &rng)
            try profile.validate()
            for selector in selectors {
                let filtered = profile.filtered(by: selector)
                try expectCompact(filtered)
                let expected = zip(resolved(profile), profile.samples).filter { selector.matches($0.1.labels) }
                #expect(resolved(filtered) == expected.map(\.0))
            }
        }
    }

    private func randomProfile(using rng: inout SeededGenerator) -> Profile {
        var builder = ProfileBuilder(
            sampleTypes: Self.types, periodType: nil, period: 0, timeNanos: 0, durationNanos: 0)
        let mappings = (0..<3).map { index in
            builder.mapping(
                start: UInt64(index) << 20, limit: UInt64(index + 1) << 20, offset: 0, file: "/lib\(index).so",
                buildID: "", hasFunctions: true, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false)
        }
        let functions = (0..<12).map { builder.function(name: "f\($0)", systemName: "f\($0)", filename: "") }
        let locations = (0..<30).map { index in
            builder.location(
                mappingID: Bool.random(using: &rng) ? mappings.randomElement(using: &rng) ?? 0 : 0,
                address: UInt64(index) * 16,
                lines: (0..<Int.random(in: 0...2, using: &rng)).map { _ in
                    Line(functionID: functions.randomElement(using: &rng) ?? 0, line: 1)
                })
        }
        for _ in 0..<Int.random(in: 0...25, using: &rng) {
            var labels: [Label] = []
            if Bool.random(using: &rng) {
                labels.append(.string("comm", ["a", "b", "c"].randomElement(using: &rng) ?? "a"))
            }
            if Bool.random(using: &rng) { labels.append(.number("pid", Int64.random(in: 1...30, using: &rng))) }
            if Bool.random(using: &rng) { labels.append(.number("tid", Int64.random(in: 1...3, using: &rng))) }
            let stack = (0..<Int.random(in: 1...6, using: &rng)).map { _ in locations.randomElement(using: &rng) ?? 1 }
            builder.addSample(locationIDs: stack, values: [1, Int64.random(in: 0...100, using: &rng)], labels: labels)
        }
        return builder.build()
    }
}
