import ProfileModel

/// Decodes a block payload written by ``PayloadEncoder`` into a valid ``Profile``.
///
/// Every count is bounded by the bytes left and every reference is range-checked, so a payload that passed its
/// checksum but is still malformed (a bug, or a hostile file) throws ``FormatError`` instead of trapping or
/// allocating without bound. Ids come out as `1...n` in array order.
struct PayloadDecoder {
    private var r: ByteReader
    private var strings: [String] = [""]

    private init(_ bytes: [UInt8]) {
        r = ByteReader(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(FormatError) -> Profile {
        var decoder = PayloadDecoder(bytes)
        return try decoder.decodeProfile()
    }

    private mutating func count(_ what: String) throws(FormatError) -> Int {
        try r.count(atMost: r.remaining, what)
    }

    private mutating func string() throws(FormatError) -> String {
        let id = try r.count(atMost: strings.count - 1, "string id")
        return strings[id]
    }

    /// A column of `count` delta-encoded string ids; `base`, when given, holds the ids each one is relative to
    /// (row by row) instead of the previous id.
    private mutating func stringIDs(_ count: Int, relativeTo base: [Int]?) throws(FormatError) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(count)
        var previous: UInt64 = 0
        for row in 0..<count {
            let reference = base.map { UInt64($0[row]) } ?? previous
            let id = reference &+ UInt64(bitPattern: try r.svarint())
            guard id < UInt64(strings.count) else { throw FormatError("string id \(id) of \(strings.count)") }
            ids.append(Int(id))
            previous = id
        }
        return ids
    }

    private mutating func decodeProfile() throws(FormatError) -> Profile {
        let stringCount = try count("string count")
        strings.reserveCapacity(stringCount + 1)
        for _ in 0..<stringCount { strings.append(try r.string()) }

        var profile = Profile()
        try decodeHeader(into: &profile)

        let mappingCount = try count("mapping count")
        var mappings: [Mapping] = []
        mappings.reserveCapacity(mappingCount)
        for index in 0..<mappingCount {
            let start = try r.uvarint()
            let size = try r.uvarint()
            let offset = try r.uvarint()
            let file = try string()
            let buildID = try string()
            let flags = try r.u8()
            guard flags < 16 else { throw FormatError("mapping \(index + 1) has unknown flags \(flags)") }
            mappings.append(
                Mapping(
                    id: UInt64(index + 1), start: start, limit: start &+ size, offset: offset, file: file,
                    buildID: buildID, hasFunctions: flags & 1 != 0, hasFilenames: flags & 2 != 0,
                    hasLineNumbers: flags & 4 != 0, hasInlineFrames: flags & 8 != 0))
        }

        let functionCount = try count("function count")
        let nameIDs = try stringIDs(functionCount, relativeTo: nil)
        let systemNameIDs = try stringIDs(functionCount, relativeTo: nameIDs)
        let filenameIDs = try stringIDs(functionCount, relativeTo: nil)
        var functions: [Function] = []
        functions.reserveCapacity(functionCount)
        for index in 0..<functionCount {
            functions.append(
                Function(
                    id: UInt64(index + 1), name: strings[nameIDs[index]], systemName: strings[systemNameIDs[index]],
                    filename: strings[filenameIDs[index]], startLine: try r.svarint()))
        }

        let locationCount = try count("location count")
        var mappingIDs: [Int] = []
        mappingIDs.reserveCapacity(locationCount)
        for _ in 0..<locationCount { mappingIDs.append(try r.count(atMost: mappingCount, "location mapping id")) }
        var addresses: [UInt64] = []
        addresses.reserveCapacity(locationCount)
        var previousAddress: [Int: UInt64] = [:]
        for mapping in mappingIDs {
            let previous = previousAddress[mapping] ?? (mapping == 0 ? 0 : mappings[mapping - 1].start)
            let address = previous &+ UInt64(bitPattern: try r.svarint())
            addresses.append(address)
            previousAddress[mapping] = address
        }
        var shapes: [UInt64] = []
        shapes.reserveCapacity(locationCount)
        var lineCount = 0
        for index in 0..<locationCount {
            let shape = try r.uvarint()
            // Each line takes at least three bytes later on, so the lines cannot outnumber the bytes left.
            guard shape >> 1 <= UInt64(r.remaining), lineCount + Int(shape >> 1) <= r.remaining else {
                throw FormatError("location \(index + 1) has more lines than bytes left")
            }
            lineCount += Int(shape >> 1)
            shapes.append(shape)
        }
        var functionIDs: [UInt64] = []
        functionIDs.reserveCapacity(lineCount)
        var previousFunction: UInt64 = 0
        for _ in 0..<lineCount {
            previousFunction = previousFunction &+ UInt64(bitPattern: try r.svarint())
            guard previousFunction <= UInt64(functionCount) else {
                throw FormatError("line refers to function \(previousFunction) of \(functionCount)")
            }
            functionIDs.append(previousFunction)
        }
        var lineNumbers: [Int64] = []
        lineNumbers.reserveCapacity(lineCount)
        for _ in 0..<lineCount { lineNumbers.append(try r.svarint()) }
        var lines: [Line] = []
        lines.reserveCapacity(lineCount)
        for index in 0..<lineCount {
            lines.append(Line(functionID: functionIDs[index], line: lineNumbers[index], column: try r.svarint()))
        }
        var locations: [Location] = []
        locations.reserveCapacity(locationCount)
        var nextLine = 0
        for index in 0..<locationCount {
            let count = Int(shapes[index] >> 1)
            locations.append(
                Location(
                    id: UInt64(index + 1), mappingID: UInt64(mappingIDs[index]), address: addresses[index],
                    lines: Array(lines[nextLine..<nextLine + count]), isFolded: shapes[index] & 1 == 1))
            nextLine += count
        }

        profile.samples = try decodeSamples(locationCount: locationCount, typeCount: profile.sampleTypes.count)
        profile.mappings = mappings
        profile.functions = functions
        profile.locations = locations
        guard r.isAtEnd else { throw FormatError("\(r.remaining) unexpected bytes after the samples") }
        return profile
    }

    private mutating func decodeHeader(into profile: inout Profile) throws(FormatError) {
        let typeCount = try count("sample type count")
        guard typeCount > 0 else { throw FormatError("profile has no sample types") }
        for _ in 0..<typeCount {
            profile.sampleTypes.append(ValueType(type: try string(), unit: try string()))
        }
        switch try r.u8() {
        case 0: profile.periodType = nil
        case 1: profile.periodType = ValueType(type: try string(), unit: try string())
        case let flag: throw FormatError("period type flag is \(flag)")
        }
        profile.period = try r.svarint()
        profile.timeNanos = try r.svarint()
        profile.durationNanos = try r.svarint()
        profile.defaultSampleType = try string()
        profile.dropFrames = try string()
        profile.keepFrames = try string()
        profile.docURL = try string()
        let commentCount = try count("comment count")
        for _ in 0..<commentCount { profile.comments.append(try string()) }
    }

    private mutating func decodeSamples(locationCount: Int, typeCount: Int) throws(FormatError) -> [Sample] {
        let stackCount = try count("stack count")
        var stacks: [[UInt64]] = []
        stacks.reserveCapacity(stackCount)
        for _ in 0..<stackCount {
            let depth = try count("stack depth")
            var stack: [UInt64] = []
            stack.reserveCapacity(depth)
            var previous: UInt64 = 0
            for _ in 0..<depth {
                previous = previous &+ UInt64(bitPattern: try r.svarint())
                guard previous >= 1 && previous <= UInt64(locationCount) else {
                    throw FormatError("stack refers to location \(previous) of \(locationCount)")
                }
                stack.append(previous)
            }
            stacks.append(stack)
        }

        let labelSetCount = try count("label set count")
        var labelSets: [[Label]] = []
        labelSets.reserveCapacity(labelSetCount)
        for _ in 0..<labelSetCount {
            let labelCount = try count("label count")
            var labels: [Label] = []
            labels.reserveCapacity(labelCount)
            for _ in 0..<labelCount { labels.append(try decodeLabel()) }
            labelSets.append(labels)
        }

        let rowCount = try count("sample count")
        var stackIDs: [Int] = []
        stackIDs.reserveCapacity(rowCount)
        for _ in 0..<rowCount { stackIDs.append(try r.count(atMost: stackCount - 1, "sample stack index")) }
        var labelIDs: [Int] = []
        labelIDs.reserveCapacity(rowCount)
        for _ in 0..<rowCount { labelIDs.append(try r.count(atMost: labelSetCount - 1, "sample label set index")) }
        var samples = (0..<rowCount).map {
            Sample(locationIDs: stacks[stackIDs[$0]], values: [], labels: labelSets[labelIDs[$0]])
        }
        for _ in 0..<typeCount {
            let divisor = try r.uvarint()
            guard divisor >= 1 && divisor <= UInt64(Int64.max) else { throw FormatError("value divisor \(divisor)") }
            for row in 0..<rowCount {
                let (value, overflow) = try r.svarint().multipliedReportingOverflow(by: Int64(divisor))
                guard !overflow else { throw FormatError("sample value overflows") }
                samples[row].values.append(value)
            }
        }
        return samples
    }

    private mutating func decodeLabel() throws(FormatError) -> Label {
        let head = try r.uvarint()
        let keyID = head >> 2
        guard keyID >= 1 && keyID < UInt64(strings.count) else { throw FormatError("label key id \(keyID)") }
        let key = strings[Int(keyID)]
        switch head & 3 {
        case 0: return .string(key, try string())
        case 1: return .number(key, try r.svarint())
        case 2: return .number(key, try r.svarint(), unit: try string())
        default: throw FormatError("label \(key) has unknown kind 3")
        }
    }
}
