/// Converts the generated protobuf message into a ``Profile``, resolving string indices with bounds checks.
///
/// Every index is checked against the string table; an out-of-range index throws
/// ``ProfileError/Code/invalidStringIndex`` naming the field, never traps. Structural invariants are left to
/// ``Profile/validate()``.
struct PProfDecoder {
    private let strings: [String]

    static func profile(from message: Perftools_Profiles_Profile) throws(ProfileError) -> Profile {
        guard message.stringTable.first == "" else {
            throw ProfileError(
                .invalidStringIndex,
                message.stringTable.isEmpty
                    ? "not a pprof profile: the string table is empty (entry 0 must be \"\")"
                    : "invalid pprof: string table entry 0 must be \"\"")
        }
        let decoder = PProfDecoder(strings: message.stringTable)
        return try decoder.decode(message)
    }

    private func decode(_ message: Perftools_Profiles_Profile) throws(ProfileError) -> Profile {
        var profile = Profile()
        profile.sampleTypes = try message.sampleType.enumerated().map { (i, t) throws(ProfileError) in
            try valueType(t, "sample type \(i)")
        }
        profile.samples = try message.sample.enumerated().map { (i, s) throws(ProfileError) in
            try sample(s, index: i)
        }
        profile.mappings = try message.mapping.map { m throws(ProfileError) in try mapping(m) }
        profile.locations = message.location.map(Self.location)
        profile.functions = try message.function.map { f throws(ProfileError) in try function(f) }
        profile.dropFrames = try string(message.dropFrames, "drop_frames")
        profile.keepFrames = try string(message.keepFrames, "keep_frames")
        profile.timeNanos = message.timeNanos
        profile.durationNanos = message.durationNanos
        if message.hasPeriodType {
            profile.periodType = try valueType(message.periodType, "period type")
        }
        profile.period = message.period
        profile.comments = try message.comment.enumerated().map { (i, c) throws(ProfileError) in
            try string(c, "comment \(i)")
        }
        profile.defaultSampleType = try string(message.defaultSampleType, "default_sample_type")
        profile.docURL = try string(message.docURL, "doc_url")
        return profile
    }

    /// The string at `index`; `field` names the referring field in the error message.
    private func string(_ index: Int64, _ field: @autoclosure () -> String) throws(ProfileError) -> String {
        guard index >= 0, index < Int64(strings.count) else {
            throw ProfileError(
                .invalidStringIndex,
                "invalid pprof: \(field()) refers to string \(index) but the string table has "
                    + "\(strings.count) entries")
        }
        return strings[Int(index)]
    }

    private func valueType(_ message: Perftools_Profiles_ValueType, _ field: String) throws(ProfileError)
        -> ValueType
    {
        ValueType(type: try string(message.type, "\(field) type"), unit: try string(message.unit, "\(field) unit"))
    }

    private func sample(_ message: Perftools_Profiles_Sample, index: Int) throws(ProfileError) -> Sample {
        var labels: [Label] = []
        labels.reserveCapacity(message.label.count)
        for l in message.label {
            let key = try string(l.key, "sample \(index) label key")
            // pprof: a nonzero string index makes a string label; anything else is numeric. String labels whose value
            // is empty are dropped, as ProfileBuilder and the encoder do, so decoding and encoding are inverses.
            if l.str != 0 {
                let value = try string(l.str, "sample \(index) label \"\(key)\" value")
                if !value.isEmpty { labels.append(.string(key, value)) }
            } else {
                let unit = try string(l.numUnit, "sample \(index) label \"\(key)\" unit")
                labels.append(.number(key, l.num, unit: unit))
            }
        }
        return Sample(locationIDs: message.locationID, values: message.value, labels: labels)
    }

    private func mapping(_ message: Perftools_Profiles_Mapping) throws(ProfileError) -> Mapping {
        Mapping(
            id: message.id,
            start: message.memoryStart,
            limit: message.memoryLimit,
            offset: message.fileOffset,
            file: try string(message.filename, "mapping \(message.id) filename"),
            buildID: try string(message.buildID, "mapping \(message.id) build ID"),
            hasFunctions: message.hasFunctions_p,
            hasFilenames: message.hasFilenames_p,
            hasLineNumbers: message.hasLineNumbers_p,
            hasInlineFrames: message.hasInlineFrames_p
        )
    }

    private static func location(_ message: Perftools_Profiles_Location) -> Location {
        Location(
            id: message.id,
            mappingID: message.mappingID,
            address: message.address,
            lines: message.line.map { Line(functionID: $0.functionID, line: $0.line, column: $0.column) },
            isFolded: message.isFolded
        )
    }

    private func function(_ message: Perftools_Profiles_Function) throws(ProfileError) -> Function {
        Function(
            id: message.id,
            name: try string(message.name, "function \(message.id) name"),
            systemName: try string(message.systemName, "function \(message.id) system name"),
            filename: try string(message.filename, "function \(message.id) filename"),
            startLine: message.startLine
        )
    }
}
