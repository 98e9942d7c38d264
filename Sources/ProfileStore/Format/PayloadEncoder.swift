import ProfileModel

/// Encodes a ``Profile`` as the uncompressed block payload of storage/FORMAT.md ("Block payload").
///
/// Strings, stacks and label sets are dictionary-encoded (each distinct value written once, referenced by index),
/// ids are positions, tables are written column by column, string ids, function ids, addresses and stack frames are
/// delta-encoded, and each value column is divided by its greatest common divisor (`cpu/nanoseconds` is usually a
/// multiple of the sampling period) before varint encoding; zstd then removes most of the remaining redundancy.
///
/// Input contract: a valid profile (see `Profile.validate()`). Mapping, function and location ids are written as
/// their 1-based positions in the profile's arrays, so only a profile whose ids already are `1...n` in array order
/// (what `ProfileBuilder` and `Profile.merge` produce) decodes back unchanged; the store normalizes with
/// `Profile.merge([profile])` before encoding.
struct PayloadEncoder {
    private var strings: [String: UInt64] = ["": 0]
    private var stringList: [String] = []
    private var body = ByteWriter()

    /// The payload bytes of `profile`.
    static func encode(_ profile: Profile) -> [UInt8] {
        var encoder = PayloadEncoder()
        encoder.encodeBody(profile)
        var output = ByteWriter(capacity: encoder.body.bytes.count + encoder.stringList.count * 16)
        output.uvarint(encoder.stringList.count)
        for string in encoder.stringList { output.string(string) }
        output.append(encoder.body.bytes)
        return output.bytes
    }

    private mutating func id(_ string: String) -> UInt64 {
        if let id = strings[string] { return id }
        stringList.append(string)
        let id = UInt64(stringList.count)
        strings[string] = id
        return id
    }

    private mutating func string(_ value: String) {
        body.uvarint(id(value))
    }

    private mutating func encodeBody(_ profile: Profile) {
        encodeHeader(profile)
        let mappingPositions = Self.positions(profile.mappings.map(\.id))
        let functionPositions = Self.positions(profile.functions.map(\.id))
        let locationPositions = Self.positions(profile.locations.map(\.id))

        body.uvarint(profile.mappings.count)
        for mapping in profile.mappings {
            body.uvarint(mapping.start)
            body.uvarint(mapping.limit &- mapping.start)
            body.uvarint(mapping.offset)
            string(mapping.file)
            string(mapping.buildID)
            var flags: UInt8 = 0
            if mapping.hasFunctions { flags |= 1 }
            if mapping.hasFilenames { flags |= 2 }
            if mapping.hasLineNumbers { flags |= 4 }
            if mapping.hasInlineFrames { flags |= 8 }
            body.u8(flags)
        }

        // Functions and locations are written column by column, each column delta-encoded against the previous
        // row where neighbors are related: zstd finds far more repetition in a column than across mixed rows.
        body.uvarint(profile.functions.count)
        let nameIDs = profile.functions.map { id($0.name) }
        let systemNameIDs = profile.functions.map { id($0.systemName) }
        let filenameIDs = profile.functions.map { id($0.filename) }
        Self.deltas(nameIDs, into: &body)
        for (name, system) in zip(nameIDs, systemNameIDs) { body.svarint(Int64(bitPattern: system &- name)) }
        Self.deltas(filenameIDs, into: &body)
        for function in profile.functions { body.svarint(function.startLine) }

        body.uvarint(profile.locations.count)
        let mappingIDs = profile.locations.map { mappingPositions[$0.mappingID] ?? 0 }
        for mapping in mappingIDs { body.uvarint(mapping) }
        var previousAddress: [UInt64: UInt64] = [:]
        for (location, mapping) in zip(profile.locations, mappingIDs) {
            let previous = previousAddress[mapping] ?? (mapping == 0 ? 0 : profile.mappings[Int(mapping) - 1].start)
            body.svarint(Int64(bitPattern: location.address &- previous))
            previousAddress[mapping] = location.address
        }
        for location in profile.locations {
            body.uvarint(UInt64(location.lines.count) << 1 | (location.isFolded ? 1 : 0))
        }
        let lines = profile.locations.flatMap(\.lines)
        Self.deltas(lines.map { functionPositions[$0.functionID] ?? 0 }, into: &body)
        for line in lines { body.svarint(line.line) }
        for line in lines { body.svarint(line.column) }

        encodeSamples(profile, locationPositions: locationPositions)
    }

    private mutating func encodeHeader(_ profile: Profile) {
        body.uvarint(profile.sampleTypes.count)
        for type in profile.sampleTypes {
            string(type.type)
            string(type.unit)
        }
        if let periodType = profile.periodType {
            body.u8(1)
            string(periodType.type)
            string(periodType.unit)
        } else {
            body.u8(0)
        }
        body.svarint(profile.period)
        body.svarint(profile.timeNanos)
        body.svarint(profile.durationNanos)
        string(profile.defaultSampleType)
        string(profile.dropFrames)
        string(profile.keepFrames)
        string(profile.docURL)
        body.uvarint(profile.comments.count)
        for comment in profile.comments { string(comment) }
    }

    private mutating func encodeSamples(_ profile: Profile, locationPositions: [UInt64: UInt64]) {
        var stackIndex: [[UInt64]: Int] = [:]
        var stacks: [[UInt64]] = []
        var labelSetIndex: [[Label]: Int] = [:]
        var labelSets: [[Label]] = []
        var rows: [(stack: Int, labels: Int)] = []
        rows.reserveCapacity(profile.samples.count)
        for sample in profile.samples {
            let stack = sample.locationIDs.map { locationPositions[$0] ?? 0 }
            let stackID =
                stackIndex[stack]
                ?? {
                    stacks.append(stack)
                    stackIndex[stack] = stacks.count - 1
                    return stacks.count - 1
                }()
            let labelsID =
                labelSetIndex[sample.labels]
                ?? {
                    labelSets.append(sample.labels)
                    labelSetIndex[sample.labels] = labelSets.count - 1
                    return labelSets.count - 1
                }()
            rows.append((stackID, labelsID))
        }

        body.uvarint(stacks.count)
        for stack in stacks {
            body.uvarint(stack.count)
            var previous: UInt64 = 0
            for location in stack {
                body.svarint(Int64(bitPattern: location &- previous))
                previous = location
            }
        }

        body.uvarint(labelSets.count)
        for labels in labelSets {
            body.uvarint(labels.count)
            for label in labels { encode(label) }
        }

        body.uvarint(rows.count)
        for row in rows { body.uvarint(row.stack) }
        for row in rows { body.uvarint(row.labels) }
        for column in profile.sampleTypes.indices {
            let values = profile.samples.map { column < $0.values.count ? $0.values[column] : 0 }
            let divisor = Self.divisor(values)
            body.uvarint(divisor)
            for value in values { body.svarint(value / Int64(divisor)) }
        }
    }

    private mutating func encode(_ label: Label) {
        let key = id(label.key)
        if let string = label.string {
            body.uvarint(key << 2 | 0)
            self.string(string)
        } else if let unit = label.numberUnit {
            body.uvarint(key << 2 | 2)
            body.svarint(label.number ?? 0)
            self.string(unit)
        } else {
            body.uvarint(key << 2 | 1)
            body.svarint(label.number ?? 0)
        }
    }

    /// Writes each value as the `svarint` difference from the one before it (the first from 0).
    private static func deltas(_ values: [UInt64], into writer: inout ByteWriter) {
        var previous: UInt64 = 0
        for value in values {
            writer.svarint(Int64(bitPattern: value &- previous))
            previous = value
        }
    }

    /// The greatest common divisor of the magnitudes of `values` (1 when all are 0, or when it exceeds `Int64.max`).
    static func divisor(_ values: [Int64]) -> UInt64 {
        var gcd: UInt64 = 0
        for value in values where value != 0 {
            var a = gcd
            var b = value.magnitude
            while b != 0 { (a, b) = (b, a % b) }
            gcd = a
            if gcd == 1 { break }
        }
        return gcd == 0 || gcd > UInt64(Int64.max) ? 1 : gcd
    }

    /// Maps each id to its 1-based position; the first occurrence wins for duplicated ids.
    private static func positions(_ ids: [UInt64]) -> [UInt64: UInt64] {
        var positions = [UInt64: UInt64](minimumCapacity: ids.count)
        for (index, id) in ids.enumerated() where positions[id] == nil {
            positions[id] = UInt64(index) + 1
        }
        return positions
    }
}
