extension Profile {
    /// Checks the invariants every consumer of a profile relies on, and throws at the first violation.
    ///
    /// - There is at least one sample type, and every sample has exactly one value per sample type.
    /// - Mapping, location and function ids are nonzero and unique within their kind.
    /// - Every sample location id names an existing location, every nonzero location mapping id an existing mapping,
    ///   and every nonzero line function id an existing function.
    /// - Every label has a key and exactly one of a string or a number; only numbers carry a unit.
    ///
    /// Messages name the element by its index in the profile's arrays, e.g.
    /// `invalid pprof: sample 12 refers to location 99 which does not exist`. Runs in O(size of the profile).
    public func validate() throws(ProfileError) {
        guard !sampleTypes.isEmpty else {
            throw .invalid("profile has no sample types")
        }
        let mappingIDs = try Self.uniqueIDs(mappings.map(\.id), kind: "mapping")
        let functionIDs = try Self.uniqueIDs(functions.map(\.id), kind: "function")
        let locationIDs = try Self.uniqueIDs(locations.map(\.id), kind: "location")

        for location in locations {
            if location.mappingID != 0 && !mappingIDs.contains(location.mappingID) {
                throw .invalid(
                    "location \(location.id) refers to mapping \(location.mappingID) which does not exist")
            }
            for line in location.lines where line.functionID != 0 && !functionIDs.contains(line.functionID) {
                throw .invalid(
                    "location \(location.id) refers to function \(line.functionID) which does not exist")
            }
        }

        for (index, sample) in samples.enumerated() {
            guard sample.values.count == sampleTypes.count else {
                throw .invalid(
                    "sample \(index) has \(sample.values.count) values but the profile has "
                        + "\(sampleTypes.count) sample types")
            }
            for id in sample.locationIDs where !locationIDs.contains(id) {
                throw .invalid("sample \(index) refers to location \(id) which does not exist")
            }
            for label in sample.labels {
                try Self.check(label, sample: index)
            }
        }
    }

    private static func uniqueIDs(_ ids: [UInt64], kind: String) throws(ProfileError) -> Set<UInt64> {
        var seen = Set<UInt64>(minimumCapacity: ids.count)
        for (index, id) in ids.enumerated() {
            guard id != 0 else {
                throw .invalid("\(kind) at index \(index) has id 0; ids must be nonzero")
            }
            guard seen.insert(id).inserted else {
                throw .invalid("\(kind) id \(id) is used more than once")
            }
        }
        return seen
    }

    private static func check(_ label: Label, sample index: Int) throws(ProfileError) {
        guard !label.key.isEmpty else {
            throw .invalid("sample \(index) has a label with an empty key")
        }
        switch (label.string, label.number) {
        case (.some, .some):
            throw .invalid("sample \(index) label \"\(label.key)\" has both a string and a number value")
        case (nil, nil):
            throw .invalid("sample \(index) label \"\(label.key)\" has neither a string nor a number value")
        case (.some, nil) where label.numberUnit != nil:
            throw .invalid("sample \(index) label \"\(label.key)\" is a string but has a number unit")
        default:
            break
        }
    }
}
