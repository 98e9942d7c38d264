import ProfileModel

extension Profile {
    /// This profile with only the samples whose labels satisfy `predicate`, and only the locations, functions and
    /// mappings those samples still reference. Ids are kept.
    func keepingSamples(where predicate: ([Label]) -> Bool) -> Profile {
        var pruned = self
        pruned.samples = samples.filter { predicate($0.labels) }
        let usedLocations = Set(pruned.samples.lazy.flatMap(\.locationIDs))
        pruned.locations = locations.filter { usedLocations.contains($0.id) }
        let usedFunctions = Set(pruned.locations.lazy.flatMap { $0.lines.map(\.functionID) })
        let usedMappings = Set(pruned.locations.map(\.mappingID))
        pruned.functions = functions.filter { usedFunctions.contains($0.id) }
        pruned.mappings = mappings.filter { usedMappings.contains($0.id) }
        return pruned
    }
}
