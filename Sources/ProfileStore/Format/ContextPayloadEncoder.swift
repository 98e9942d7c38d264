import ProfileModel

/// Encodes a profile as the payload of a block compressed with a dictionary (storage/FORMAT.md, "Payload of a codec 2
/// block"):
///
/// ```
/// context part: uvarint C; C bytes: the tables of the dictionary's context
/// block part:   the tables of the rows only this profile has (ids go on after the context's)
///               header, samples, order section
/// ```
///
/// The context part is the same for every block written with one dictionary, and the dictionary's content (itself
/// such a payload) starts with it: a block stores only its block part, compressed with the dictionary, and a reader
/// puts the two together again (parsing the context part once per dictionary, ``PayloadDecoder/ParsedContext``).
/// The block costs little more than its samples and its new rows. The order section says which rows make up the
/// profile, in which order.
///
/// Input contract: a normalized profile (see ``PayloadEncoder``).
enum ContextPayloadEncoder {
    /// The tables after interning a profile into a context (the context's rows, then the profile's new ones), and
    /// the rows of the profile.
    struct Interned: Sendable {
        var tables: PayloadTables
        /// The stack and label set index of each sample.
        var stacksUsed: [Int]
        var labelSetsUsed: [Int]
        /// The ids of the profile's mappings, functions and locations, in profile order.
        var mappingRows: [Int]
        var functionRows: [Int]
        var locationRows: [Int]
    }

    /// Order section mode: the profile's mappings, functions and locations are those its samples refer to, in order
    /// of first reference.
    static let derivedOrder: UInt8 = 0
    /// Order section mode: the rows are listed explicitly.
    static let explicitOrder: UInt8 = 1

    /// The context part for `context`: `uvarint C` and the tables of all its rows.
    static func contextPart(_ context: PayloadTables) -> [UInt8] {
        var tables = PayloadSectionWriter(tables: context, capacity: context.estimatedBytes)
        tables.writeTables(from: PayloadTables.Counts())
        var part = ByteWriter(capacity: tables.body.bytes.count + 5)
        part.uvarint(tables.body.bytes.count)
        part.append(tables.body.bytes)
        return part.bytes
    }

    /// Adds the rows of `profile` that `context` lacks.
    static func intern(_ profile: Profile, into context: PayloadTables) -> Interned {
        var tables = context
        for string in profile.headerStrings { _ = tables.string(string) }
        var mappingIDs: [UInt64: Int] = [:]
        let mappingRows = profile.mappings.map { mapping in
            let id = tables.mapping(mapping)
            if mappingIDs[mapping.id] == nil { mappingIDs[mapping.id] = id }
            return id
        }
        var functionIDs: [UInt64: Int] = [:]
        let functionRows = profile.functions.map { function in
            let id = tables.function(function)
            if functionIDs[function.id] == nil { functionIDs[function.id] = id }
            return id
        }
        var locationIDs: [UInt64: Int] = [:]
        let locationRows = profile.locations.map { location in
            let lines = location.lines.map {
                PayloadTables.LineRow(function: functionIDs[$0.functionID] ?? 0, line: $0.line, column: $0.column)
            }
            let id = tables.location(
                PayloadTables.LocationRow(
                    mapping: mappingIDs[location.mappingID] ?? 0, address: location.address, lines: lines,
                    isFolded: location.isFolded))
            if locationIDs[location.id] == nil { locationIDs[location.id] = id }
            return id
        }
        var stacksUsed: [Int] = []
        var labelSetsUsed: [Int] = []
        stacksUsed.reserveCapacity(profile.samples.count)
        labelSetsUsed.reserveCapacity(profile.samples.count)
        for sample in profile.samples {
            stacksUsed.append(tables.stack(sample.locationIDs.map { locationIDs[$0] ?? 0 }))
            labelSetsUsed.append(tables.labelSet(sample.labels))
        }
        return Interned(
            tables: tables, stacksUsed: stacksUsed, labelSetsUsed: labelSetsUsed, mappingRows: mappingRows,
            functionRows: functionRows, locationRows: locationRows)
    }

    /// The block part of the payload of `profile` written with `context`: the payload is `contextPart(context)`
    /// followed by it.
    static func encode(_ profile: Profile, context: PayloadTables) -> (blockPart: [UInt8], interned: Interned) {
        let interned = intern(profile, into: context)
        var writer = PayloadSectionWriter(tables: interned.tables)
        writer.writeTables(from: context.counts)
        writer.writeHeader(profile)
        writer.writeSamples(profile, stacks: interned.stacksUsed, labelSets: interned.labelSetsUsed)
        let order = derivedOrder(tables: interned.tables, stacks: interned.stacksUsed)
        if order.mappings == interned.mappingRows && order.functions == interned.functionRows
            && order.locations == interned.locationRows
        {
            writer.body.u8(derivedOrder)
        } else {
            writer.body.u8(explicitOrder)
            for rows in [interned.mappingRows, interned.functionRows, interned.locationRows] {
                writer.body.uvarint(rows.count)
                var previous = 0
                for row in rows {
                    writer.body.svarint(Int64(row - previous))
                    previous = row
                }
            }
        }
        return (writer.body.bytes, interned)
    }

    /// The mapping, function and location ids that samples using `stacks` refer to, in order of first reference:
    /// locations as the stacks list them (leaf first, sample by sample), then the mapping and the functions (line by
    /// line) of each location in that order. This is the order ``ProfileBuilder`` gives a profile built frame by
    /// frame, so most profiles need no explicit order.
    static func derivedOrder(
        tables: PayloadTables, stacks: [Int]
    ) -> (mappings: [Int], functions: [Int], locations: [Int]) {
        var seenLocations = [Bool](repeating: false, count: tables.locations.count + 1)
        var seenMappings = [Bool](repeating: false, count: tables.mappings.count + 1)
        var seenFunctions = [Bool](repeating: false, count: tables.functions.count + 1)
        var locations: [Int] = []
        var mappings: [Int] = []
        var functions: [Int] = []
        for stack in stacks {
            for location in tables.stacks[stack] where location != 0 && !seenLocations[location] {
                seenLocations[location] = true
                locations.append(location)
            }
        }
        for location in locations {
            let row = tables.locations[location - 1]
            if row.mapping != 0 && !seenMappings[row.mapping] {
                seenMappings[row.mapping] = true
                mappings.append(row.mapping)
            }
            for line in row.lines where line.function != 0 && !seenFunctions[line.function] {
                seenFunctions[line.function] = true
                functions.append(line.function)
            }
        }
        return (mappings, functions, locations)
    }
}

/// Writes the sections of a payload from ``PayloadTables`` in the layout of storage/FORMAT.md, section 6.
struct PayloadSectionWriter {
    let tables: PayloadTables
    var body: ByteWriter

    init(tables: PayloadTables, capacity: Int = 4096) {
        self.tables = tables
        body = ByteWriter(capacity: capacity)
    }

    /// One tables part: the rows of each table from `first` on (strings, mappings, functions, locations, stacks,
    /// label sets). Deltas start afresh in each part.
    mutating func writeTables(from first: PayloadTables.Counts) {
        body.uvarint(tables.stringCount - first.strings)
        for id in first.strings..<tables.stringCount { body.string(tables.string(at: id + 1)) }

        let mappings = tables.mappings.rows(from: first.mappings)
        body.uvarint(mappings.count)
        for mapping in mappings {
            body.uvarint(mapping.start)
            body.uvarint(mapping.limit &- mapping.start)
            body.uvarint(mapping.offset)
            body.uvarint(mapping.file)
            body.uvarint(mapping.buildID)
            body.u8(mapping.flags)
        }

        let functions = tables.functions.rows(from: first.functions)
        body.uvarint(functions.count)
        var previous = 0
        for function in functions {
            body.svarint(Int64(function.name - previous))
            previous = function.name
        }
        for function in functions { body.svarint(Int64(function.systemName - function.name)) }
        previous = 0
        for function in functions {
            body.svarint(Int64(function.filename - previous))
            previous = function.filename
        }
        for function in functions { body.svarint(function.startLine) }

        let locations = tables.locations.rows(from: first.locations)
        body.uvarint(locations.count)
        for location in locations { body.uvarint(location.mapping) }
        var previousAddress: [Int: UInt64] = [:]
        for location in locations {
            let mapping = location.mapping
            let base = previousAddress[mapping] ?? (mapping == 0 ? 0 : tables.mappings[mapping - 1].start)
            body.svarint(Int64(bitPattern: location.address &- base))
            previousAddress[mapping] = location.address
        }
        for location in locations {
            body.uvarint(UInt64(location.lines.count) << 1 | (location.isFolded ? 1 : 0))
        }
        previous = 0
        for location in locations {
            for line in location.lines {
                body.svarint(Int64(line.function - previous))
                previous = line.function
            }
        }
        for location in locations { for line in location.lines { body.svarint(line.line) } }
        for location in locations { for line in location.lines { body.svarint(line.column) } }

        let stacks = tables.stacks.rows(from: first.stacks)
        body.uvarint(stacks.count)
        for stack in stacks {
            body.uvarint(stack.count)
            var previous = 0
            for location in stack {
                body.svarint(Int64(location - previous))
                previous = location
            }
        }

        let labelSets = tables.labelSets.rows(from: first.labelSets)
        body.uvarint(labelSets.count)
        for labels in labelSets {
            body.uvarint(labels.count)
            for label in labels {
                body.uvarint(UInt64(label.key) << 2 | UInt64(label.kind))
                switch label.kind {
                case 0: body.uvarint(label.string)
                case 1: body.svarint(label.number)
                default:
                    body.svarint(label.number)
                    body.uvarint(label.string)
                }
            }
        }
    }

    /// The samples section: `stacks[i]` and `labelSets[i]` are the indexes of sample `i`.
    mutating func writeSamples(_ profile: Profile, stacks: [Int], labelSets: [Int]) {
        body.uvarint(profile.samples.count)
        for stack in stacks { body.uvarint(stack) }
        for labels in labelSets { body.uvarint(labels) }
        for column in profile.sampleTypes.indices {
            let values = profile.samples.map { column < $0.values.count ? $0.values[column] : 0 }
            let divisor = PayloadEncoder.divisor(values)
            body.uvarint(divisor)
            for value in values { body.svarint(value / Int64(divisor)) }
        }
    }

    /// The header section; its strings must be in the tables.
    mutating func writeHeader(_ profile: Profile) {
        body.uvarint(profile.sampleTypes.count)
        for type in profile.sampleTypes {
            body.uvarint(id(type.type))
            body.uvarint(id(type.unit))
        }
        if let periodType = profile.periodType {
            body.u8(1)
            body.uvarint(id(periodType.type))
            body.uvarint(id(periodType.unit))
        } else {
            body.u8(0)
        }
        body.svarint(profile.period)
        body.svarint(profile.timeNanos)
        body.svarint(profile.durationNanos)
        for string in [profile.defaultSampleType, profile.dropFrames, profile.keepFrames, profile.docURL] {
            body.uvarint(id(string))
        }
        body.uvarint(profile.comments.count)
        for comment in profile.comments { body.uvarint(id(comment)) }
    }

    /// The id of a header string; ``ContextPayloadEncoder`` interns them all before writing.
    private func id(_ string: String) -> Int {
        tables.id(of: string) ?? 0
    }
}

extension Profile {
    /// The strings of the header: sample and period types, default sample type, frame filters, doc URL, comments.
    var headerStrings: [String] {
        sampleTypes.flatMap { [$0.type, $0.unit] } + (periodType.map { [$0.type, $0.unit] } ?? [])
            + [defaultSampleType, dropFrames, keepFrames, docURL] + comments
    }
}
