/// Converts a ``Profile`` into the generated protobuf message, building the string table on the way.
///
/// Strings enter the table in a fixed traversal order (sample types, samples' labels, mappings, functions, header
/// fields), so the encoding of a profile is deterministic.
struct PProfEncoder {
    private var strings = StringTable()

    static func message(for profile: Profile) -> Perftools_Profiles_Profile {
        var encoder = PProfEncoder()
        return encoder.encode(profile)
    }

    private mutating func encode(_ profile: Profile) -> Perftools_Profiles_Profile {
        var message = Perftools_Profiles_Profile()
        message.sampleType = profile.sampleTypes.map { valueType($0) }
        message.sample = profile.samples.map { sample($0) }
        message.mapping = profile.mappings.map { mapping($0) }
        message.location = profile.locations.map { Self.location($0) }
        message.function = profile.functions.map { function($0) }
        message.dropFrames = strings.index(profile.dropFrames)
        message.keepFrames = strings.index(profile.keepFrames)
        message.timeNanos = profile.timeNanos
        message.durationNanos = profile.durationNanos
        if let periodType = profile.periodType {
            message.periodType = valueType(periodType)
        }
        message.period = profile.period
        message.comment = profile.comments.map { strings.index($0) }
        message.defaultSampleType = strings.index(profile.defaultSampleType)
        message.docURL = strings.index(profile.docURL)
        message.stringTable = strings.strings
        return message
    }

    private mutating func valueType(_ valueType: ValueType) -> Perftools_Profiles_ValueType {
        var message = Perftools_Profiles_ValueType()
        message.type = strings.index(valueType.type)
        message.unit = strings.index(valueType.unit)
        return message
    }

    private mutating func sample(_ sample: Sample) -> Perftools_Profiles_Sample {
        var message = Perftools_Profiles_Sample()
        message.locationID = sample.locationIDs
        message.value = sample.values
        message.label = sample.labels.filter { $0.string.map { !$0.isEmpty } ?? true }.map { label($0) }
        return message
    }

    private mutating func label(_ label: Label) -> Perftools_Profiles_Label {
        var message = Perftools_Profiles_Label()
        message.key = strings.index(label.key)
        if let string = label.string {
            message.str = strings.index(string)
        } else {
            message.num = label.number ?? 0
            message.numUnit = strings.index(label.numberUnit ?? "")
        }
        return message
    }

    private mutating func mapping(_ mapping: Mapping) -> Perftools_Profiles_Mapping {
        var message = Perftools_Profiles_Mapping()
        message.id = mapping.id
        message.memoryStart = mapping.start
        message.memoryLimit = mapping.limit
        message.fileOffset = mapping.offset
        message.filename = strings.index(mapping.file)
        message.buildID = strings.index(mapping.buildID)
        message.hasFunctions_p = mapping.hasFunctions
        message.hasFilenames_p = mapping.hasFilenames
        message.hasLineNumbers_p = mapping.hasLineNumbers
        message.hasInlineFrames_p = mapping.hasInlineFrames
        return message
    }

    private static func location(_ location: Location) -> Perftools_Profiles_Location {
        var message = Perftools_Profiles_Location()
        message.id = location.id
        message.mappingID = location.mappingID
        message.address = location.address
        message.line = location.lines.map { line in
            var message = Perftools_Profiles_Line()
            message.functionID = line.functionID
            message.line = line.line
            message.column = line.column
            return message
        }
        message.isFolded = location.isFolded
        return message
    }

    private mutating func function(_ function: Function) -> Perftools_Profiles_Function {
        var message = Perftools_Profiles_Function()
        message.id = function.id
        message.name = strings.index(function.name)
        message.systemName = strings.index(function.systemName)
        message.filename = strings.index(function.filename)
        message.startLine = function.startLine
        return message
    }
}
