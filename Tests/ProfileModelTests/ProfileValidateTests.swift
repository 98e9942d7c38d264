import ProfileModel
import Testing

@Suite struct ProfileValidateTests {
    private static let types = [ValueType(type: "samples", unit: "count")]

    private func message(_ profile: Profile) -> String? {
        do {
            try profile.validate()
            return nil
        } catch {
            #expect(error.code == .invalidProfile)
            return error.message
        }
    }

    @Test func fixtureIsValid() throws {
        try Fixtures.small().validate()
    }

    @Test func rejectsMissingSampleTypes() {
        #expect(message(Profile()) == "invalid pprof: profile has no sample types")
    }

    @Test func rejectsWrongValueCount() {
        let p = Profile(sampleTypes: Self.types, samples: [Sample(locationIDs: [], values: [1, 2])])
        #expect(message(p) == "invalid pprof: sample 0 has 2 values but the profile has 1 sample types")
    }

    @Test func rejectsDanglingLocation() {
        let p = Profile(
            sampleTypes: Self.types,
            samples: [Sample(locationIDs: [], values: [1]), Sample(locationIDs: [1, 99], values: [1])],
            locations: [Location(id: 1, mappingID: 0, address: 0, lines: [])])
        #expect(message(p) == "invalid pprof: sample 1 refers to location 99 which does not exist")
    }

    @Test func rejectsDanglingMappingAndFunction() {
        let badMapping = Profile(
            sampleTypes: Self.types, locations: [Location(id: 1, mappingID: 5, address: 0, lines: [])])
        #expect(message(badMapping) == "invalid pprof: location 1 refers to mapping 5 which does not exist")
        let badFunction = Profile(
            sampleTypes: Self.types,
            locations: [Location(id: 1, mappingID: 0, address: 0, lines: [Line(functionID: 3, line: 1)])])
        #expect(message(badFunction) == "invalid pprof: location 1 refers to function 3 which does not exist")
    }

    @Test func acceptsUnknownMappingAndFunction() throws {
        let p = Profile(
            sampleTypes: Self.types,
            locations: [Location(id: 1, mappingID: 0, address: 0, lines: [Line(functionID: 0, line: 1)])])
        try p.validate()
    }

    @Test func rejectsZeroAndDuplicateIDs() {
        let zero = Profile(sampleTypes: Self.types, functions: [Function(id: 0, name: "f")])
        #expect(message(zero) == "invalid pprof: function at index 0 has id 0; ids must be nonzero")
        let duplicate = Profile(
            sampleTypes: Self.types,
            mappings: [
                Mapping(id: 2, start: 0, limit: 1, offset: 0, file: "a"),
                Mapping(id: 2, start: 1, limit: 2, offset: 0, file: "b"),
            ])
        #expect(message(duplicate) == "invalid pprof: mapping id 2 is used more than once")
    }

    @Test func rejectsMalformedLabels() {
        var label = Label.number("pid", 1)
        label.string = "x"
        let both = Profile(sampleTypes: Self.types, samples: [Sample(locationIDs: [], values: [1], labels: [label])])
        #expect(message(both) == "invalid pprof: sample 0 label \"pid\" has both a string and a number value")
        label.string = nil
        label.number = nil
        let neither = Profile(
            sampleTypes: Self.types, samples: [Sample(locationIDs: [], values: [1], labels: [label])])
        #expect(message(neither) == "invalid pprof: sample 0 label \"pid\" has neither a string nor a number value")
        var unitOnString = Label.string("comm", "x")
        unitOnString.numberUnit = "bytes"
        let unit = Profile(
            sampleTypes: Self.types, samples: [Sample(locationIDs: [], values: [1], labels: [unitOnString])])
        #expect(message(unit) == "invalid pprof: sample 0 label \"comm\" is a string but has a number unit")
    }
}
