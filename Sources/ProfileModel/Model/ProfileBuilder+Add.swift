extension ProfileBuilder {
    /// Re-interns every mapping, function, location and sample of a valid `profile` into this builder.
    ///
    /// References to ids that do not exist in `profile` become 0 (unknown) rather than trapping; callers validate
    /// first. Header fields and comments are not copied.
    mutating func add(_ profile: Profile) {
        var mappingMap: [UInt64: UInt64] = [:]
        for m in profile.mappings where mappingMap[m.id] == nil {
            mappingMap[m.id] = mapping(
                start: m.start, limit: m.limit, offset: m.offset, file: m.file, buildID: m.buildID,
                hasFunctions: m.hasFunctions, hasFilenames: m.hasFilenames, hasLineNumbers: m.hasLineNumbers,
                hasInlineFrames: m.hasInlineFrames)
        }
        var functionMap: [UInt64: UInt64] = [:]
        for f in profile.functions where functionMap[f.id] == nil {
            functionMap[f.id] = function(
                name: f.name, systemName: f.systemName, filename: f.filename, startLine: f.startLine)
        }
        var locationMap: [UInt64: UInt64] = [:]
        for l in profile.locations where locationMap[l.id] == nil {
            let lines = l.lines.map {
                Line(functionID: functionMap[$0.functionID] ?? 0, line: $0.line, column: $0.column)
            }
            locationMap[l.id] = location(
                mappingID: mappingMap[l.mappingID] ?? 0, address: l.address, lines: lines, isFolded: l.isFolded)
        }
        for sample in profile.samples where sample.values.count == sampleTypes.count {
            addSample(
                locationIDs: sample.locationIDs.map { locationMap[$0] ?? 0 }, values: sample.values,
                labels: sample.labels)
        }
    }
}
