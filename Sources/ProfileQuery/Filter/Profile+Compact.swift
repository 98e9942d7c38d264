import ProfileModel

extension Profile {
    /// Drops the locations that no sample refers to, then the functions and mappings that no remaining location
    /// refers to, and renumbers what is left `1...n` in array order, rewriting every reference.
    ///
    /// References to ids that do not exist become 0, and only the first element with a given id is kept; both only
    /// happen in profiles that fail ``Profile/validate()``.
    mutating func removeUnreferencedEntities() {
        var referencedLocations = Set<UInt64>()
        for sample in samples {
            referencedLocations.formUnion(sample.locationIDs)
        }
        let (keptLocations, locationIDs) = Self.renumber(locations.filter { referencedLocations.contains($0.id) })

        var referencedFunctions = Set<UInt64>()
        var referencedMappings = Set<UInt64>()
        for location in keptLocations {
            referencedMappings.insert(location.mappingID)
            for line in location.lines {
                referencedFunctions.insert(line.functionID)
            }
        }
        let (keptFunctions, functionIDs) = Self.renumber(functions.filter { referencedFunctions.contains($0.id) })
        let (keptMappings, mappingIDs) = Self.renumber(mappings.filter { referencedMappings.contains($0.id) })

        mappings = keptMappings
        functions = keptFunctions
        locations = keptLocations.map { location in
            var location = location
            location.mappingID = mappingIDs[location.mappingID] ?? 0
            for index in location.lines.indices {
                location.lines[index].functionID = functionIDs[location.lines[index].functionID] ?? 0
            }
            return location
        }
        for index in samples.indices {
            samples[index].locationIDs = samples[index].locationIDs.map { locationIDs[$0] ?? 0 }
        }
    }

    /// The first element with each id, given ids `1...n` in order, and the map from old ids to new ones.
    private static func renumber<Element: Identified>(_ elements: [Element]) -> ([Element], [UInt64: UInt64]) {
        var newIDs = [UInt64: UInt64](minimumCapacity: elements.count)
        var kept: [Element] = []
        kept.reserveCapacity(elements.count)
        for element in elements where newIDs[element.id] == nil {
            var renumbered = element
            renumbered.id = UInt64(kept.count + 1)
            newIDs[element.id] = renumbered.id
            kept.append(renumbered)
        }
        return (kept, newIDs)
    }
}

/// A profile element with a mutable id: ``Mapping``, ``Location`` or ``Function``.
private protocol Identified {
    var id: UInt64 { get set }
}

extension Mapping: Identified {}
extension Location: Identified {}
extension Function: Identified {}
