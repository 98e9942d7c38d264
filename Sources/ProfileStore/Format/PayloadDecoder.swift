import ProfileModel

/// Decodes a block payload (storage/FORMAT.md, "Block payload" and "Payload of a codec 2 block") into a valid
/// ``Profile``.
///
/// The payload is parsed into plain columns first; model values (strings, functions, locations) are created only
/// for the rows the profile is made of: all of them for a codec 1 payload, the rows the order section names for a
/// codec 2 payload, whose tables start with every row of its dictionary's context (parsed once per dictionary, see
/// ``ParsedContext``).
///
/// Every count is bounded by the bytes left and every reference is range-checked, so a payload that passed its
/// checksum but is still malformed (a bug, or a hostile file) throws ``FormatError`` instead of trapping or
/// allocating without bound. Ids come out as `1...n` in array order.
struct PayloadDecoder: Sendable {
    private var r: ByteReader
    private var bytes: [UInt8]
    /// Strings `0...B` of a parsed context, created once (index 0 is the empty string); shared by the blocks that
    /// follow the context, which never modify it.
    private var contextStrings: [String] = [""]
    /// Byte ranges in ``bytes`` of strings `B + 1...S`, and those already created.
    private var stringRanges: [Range<Int>] = []
    private var stringCache: [String?] = []

    /// Strings so far, the empty string (id 0) included.
    var stringCount: Int { contextStrings.count + stringRanges.count }

    private(set) var header = Profile()
    private(set) var mappings = SplitColumn<(
        start: UInt64, limit: UInt64, offset: UInt64, file: Int, buildID: Int, flags: UInt8
    )>()
    private(set) var functionNames = SplitColumn<Int>()
    private(set) var functionSystemNames = SplitColumn<Int>()
    private(set) var functionFilenames = SplitColumn<Int>()
    private(set) var functionStartLines = SplitColumn<Int64>()
    private(set) var locationMappings = SplitColumn<Int>()
    private(set) var locationAddresses = SplitColumn<UInt64>()
    private(set) var locationFolded = SplitColumn<Bool>()
    /// Lines of location `i` are `lineStarts[i]..<lineStarts[i + 1]`.
    private(set) var lineStarts = SplitColumn<Int>([0])
    private(set) var lineFunctions = SplitColumn<Int>()
    private(set) var lineNumbers = SplitColumn<Int64>()
    private(set) var lineColumns = SplitColumn<Int64>()
    /// Frames of stack `i` are `stackFrames[stackStarts[i]..<stackStarts[i + 1]]`.
    private(set) var stackStarts = SplitColumn<Int>([0])
    private(set) var stackFrames = SplitColumn<Int>()
    private(set) var labelSetStarts = SplitColumn<Int>([0])
    private(set) var labels = SplitColumn<PayloadTables.LabelRow>()
    private(set) var sampleStacks: [Int] = []
    private(set) var sampleLabelSets: [Int] = []
    /// Row-major: the values of sample `i` are `values[i * T..<(i + 1) * T]`.
    private(set) var values: [Int64] = []

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
        r = ByteReader(bytes)
    }

    /// The parsed context part of a codec 2 payload: the tables of a dictionary's context, with every string
    /// created, shared by all the blocks written with that dictionary.
    struct ParsedContext: Sendable {
        fileprivate var decoder: PayloadDecoder
    }

    // MARK: Entry points

    /// A parsed payload: its columns, and the rows the profile is made of, in profile order.
    struct Parsed: Sendable {
        var decoder: PayloadDecoder
        var mappings: [Int]
        var functions: [Int]
        var locations: [Int]
        /// The rows of each table that belong to the dictionary's context part, shared by all the blocks written
        /// with it (none for codec 1).
        var context: PayloadTables.Counts

        /// The profile these rows make up.
        mutating func profile() throws(FormatError) -> Profile {
            try decoder.profile(mappings: mappings, functions: functions, locations: locations)
        }
    }

    /// Decodes a codec 1 payload: every row of the tables belongs to the profile, in table order.
    static func decode(_ bytes: [UInt8]) throws(FormatError) -> Profile {
        var parsed = try parse(codec1: bytes)
        return try parsed.profile()
    }

    /// Parses a codec 1 payload.
    static func parse(codec1 bytes: [UInt8]) throws(FormatError) -> Parsed {
        var decoder = PayloadDecoder(bytes)
        try decoder.parseStrings()
        try decoder.parseHeader()
        try decoder.parseRows()
        try decoder.parseSamples()
        guard decoder.r.isAtEnd else { throw FormatError("\(decoder.r.remaining) unexpected bytes after the samples") }
        return Parsed(
            decoder: decoder, mappings: Array(1..<decoder.mappings.count + 1),
            functions: Array(1..<decoder.functionNames.count + 1),
            locations: Array(1..<decoder.locationMappings.count + 1), context: PayloadTables.Counts())
    }

    /// Decodes the stored part of a codec 2 payload, which follows the context part of its dictionary (`context`):
    /// the rows the block adds, header, samples, and the order section that selects and orders the rows of the
    /// profile (see ``ContextPayloadEncoder``).
    static func decode(blockPart bytes: [UInt8], context: ParsedContext) throws(FormatError) -> Profile {
        var parsed = try parse(blockPart: bytes, context: context)
        return try parsed.profile()
    }

    /// Parses the stored part of a codec 2 payload (see ``decode(blockPart:context:)``).
    static func parse(blockPart bytes: [UInt8], context: ParsedContext) throws(FormatError) -> Parsed {
        var decoder = context.decoder
        decoder.bytes = bytes
        decoder.r = ByteReader(bytes)
        let counts = decoder.counts
        return try decoder.parseBlockPart(context: counts)
    }

    /// Decodes a whole codec 2 payload: the context part followed by the block part (a dictionary's content is one).
    static func decode(codec2Payload bytes: [UInt8]) throws(FormatError) -> Profile {
        var decoder = PayloadDecoder(bytes)
        try decoder.parseContextPart()
        var parsed = try decoder.parseBlockPart(context: decoder.counts)
        return try parsed.profile()
    }

    /// Parses the context part at the start of `content` (a dictionary's content) for
    /// ``decode(blockPart:context:)``. Every string of the context is created here, once, so that blocks never
    /// look at the bytes of the context again.
    static func parsedContext(_ content: [UInt8]) throws(FormatError) -> ParsedContext {
        var decoder = PayloadDecoder(content)
        try decoder.parseContextPart()
        decoder.contextStrings = (0..<decoder.stringCount).map { decoder.string($0) }
        decoder.stringRanges = []
        decoder.stringCache = []
        decoder.bytes = []
        decoder.r = ByteReader([])
        decoder.freezeTables()
        return ParsedContext(decoder: decoder)
    }

    /// Makes every table row shared, so that the blocks parsed after this context append their rows without
    /// copying the context's.
    private mutating func freezeTables() {
        mappings.freeze()
        functionNames.freeze()
        functionSystemNames.freeze()
        functionFilenames.freeze()
        functionStartLines.freeze()
        locationMappings.freeze()
        locationAddresses.freeze()
        locationFolded.freeze()
        lineStarts.freeze()
        lineFunctions.freeze()
        lineNumbers.freeze()
        lineColumns.freeze()
        stackStarts.freeze()
        stackFrames.freeze()
        labelSetStarts.freeze()
        labels.freeze()
    }

    /// How many rows each table has so far.
    private var counts: PayloadTables.Counts {
        PayloadTables.Counts(
            strings: stringCount - 1, mappings: mappings.count, functions: functionNames.count,
            locations: locationMappings.count, stacks: stackStarts.count - 1, labelSets: labelSetStarts.count - 1)
    }

    private consuming func parseBlockPart(context: PayloadTables.Counts) throws(FormatError) -> Parsed {
        try parseTables()
        try parseHeader()
        try parseSamples()
        let order: (mappings: [Int], functions: [Int], locations: [Int])
        switch try r.u8() {
        case ContextPayloadEncoder.derivedOrder: order = derivedOrder()
        case ContextPayloadEncoder.explicitOrder:
            order = (
                try rowList(of: mappings.count, "mapping"),
                try rowList(of: functionNames.count, "function"),
                try rowList(of: locationMappings.count, "location")
            )
        case let mode: throw FormatError("unknown order mode \(mode)")
        }
        guard r.isAtEnd else { throw FormatError("\(r.remaining) unexpected bytes after the order") }
        return Parsed(
            decoder: self, mappings: order.mappings, functions: order.functions, locations: order.locations,
            context: context)
    }

    /// The rows of the context part of a codec 2 payload as ``PayloadTables``, in payload order: how a writer takes
    /// up the context of a dictionary it finds on disk (the dictionary's content is such a payload).
    static func contextTables(_ bytes: [UInt8]) throws(FormatError) -> PayloadTables {
        _ = try decode(codec2Payload: bytes)
        var decoder = PayloadDecoder(bytes)
        try decoder.parseContextPart()
        var tables = PayloadTables()
        func check(_ position: Int, _ expected: Int, _ what: String) throws(FormatError) {
            guard position == expected else { throw FormatError("the \(what) table repeats a row") }
        }
        for id in 1..<decoder.stringCount {
            try check(tables.string(decoder.string(id)), id, "string")
        }
        for (index, m) in decoder.mappings.enumerated() {
            let row = PayloadTables.MappingRow(
                start: m.start, limit: m.limit, offset: m.offset, file: m.file, buildID: m.buildID, flags: m.flags)
            try check(tables.mapping(row: row), index + 1, "mapping")
        }
        for index in decoder.functionNames.indices {
            let row = PayloadTables.FunctionRow(
                name: decoder.functionNames[index], systemName: decoder.functionSystemNames[index],
                filename: decoder.functionFilenames[index], startLine: decoder.functionStartLines[index])
            try check(tables.function(row: row), index + 1, "function")
        }
        for index in decoder.locationMappings.indices {
            let lines = (decoder.lineStarts[index]..<decoder.lineStarts[index + 1]).map {
                PayloadTables.LineRow(
                    function: decoder.lineFunctions[$0], line: decoder.lineNumbers[$0], column: decoder.lineColumns[$0])
            }
            let row = PayloadTables.LocationRow(
                mapping: decoder.locationMappings[index], address: decoder.locationAddresses[index], lines: lines,
                isFolded: decoder.locationFolded[index])
            try check(tables.location(row), index + 1, "location")
        }
        for index in 0..<decoder.stackStarts.count - 1 {
            let frames = Array(decoder.stackFrames[decoder.stackStarts[index]..<decoder.stackStarts[index + 1]])
            try check(tables.stack(frames), index, "stack")
        }
        for index in 0..<decoder.labelSetStarts.count - 1 {
            let rows = Array(decoder.labels[decoder.labelSetStarts[index]..<decoder.labelSetStarts[index + 1]])
            try check(tables.labelSet(rows: rows), index, "label set")
        }
        return tables
    }

    // MARK: Parsing

    private mutating func count(_ what: String) throws(FormatError) -> Int {
        try r.count(atMost: r.remaining, what)
    }

    private mutating func stringID() throws(FormatError) -> Int {
        try r.count(atMost: stringCount - 1, "string id")
    }

    /// `uvarint C` and the C bytes of tables that follow it.
    private mutating func parseContextPart() throws(FormatError) {
        let length = try count("context length")
        let end = r.position + length
        try parseTables()
        guard r.position == end else { throw FormatError("the context part is not \(length) bytes long") }
    }

    /// One tables part of a codec 2 payload: strings, mappings, functions, locations, stacks, label sets; rows are
    /// added after those of the parts before.
    private mutating func parseTables() throws(FormatError) {
        try parseStrings()
        try parseRows()
    }

    private mutating func parseStrings() throws(FormatError) {
        let added = try count("string count")
        guard added > 0 else { return }
        stringRanges.reserveCapacity(stringRanges.count + added)
        for _ in 0..<added {
            let length = try r.uvarint()
            guard length <= UInt64(r.remaining) else {
                throw FormatError("string of \(length) bytes runs past the end")
            }
            stringRanges.append(r.position..<r.position + Int(length))
            try r.skip(Int(length))
        }
        stringCache += [String?](repeating: nil, count: added)
    }

    /// Mappings, functions, locations, stacks and label sets.
    private mutating func parseRows() throws(FormatError) {
        // Tables without new rows are left alone: a parsed context's arrays are shared, and any change copies them.
        let mappingCount = try count("mapping count")
        if mappingCount > 0 { mappings.reserveCapacity(mappings.count + mappingCount) }
        for _ in 0..<mappingCount {
            let start = try r.uvarint()
            let size = try r.uvarint()
            let offset = try r.uvarint()
            let file = try stringID()
            let buildID = try stringID()
            let flags = try r.u8()
            guard flags < 16 else { throw FormatError("mapping \(mappings.count + 1) has unknown flags \(flags)") }
            mappings.append((start, start &+ size, offset, file, buildID, flags))
        }

        let functionCount = try count("function count")
        if functionCount > 0 {
            let names = try stringIDs(functionCount, relativeTo: nil)
            functionNames += names
            functionSystemNames += try stringIDs(functionCount, relativeTo: names)
            functionFilenames += try stringIDs(functionCount, relativeTo: nil)
            functionStartLines.reserveCapacity(functionStartLines.count + functionCount)
            for _ in 0..<functionCount { functionStartLines.append(try r.svarint()) }
        }

        try parseLocations()
        try parseStacksAndLabels()
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
            guard id < UInt64(stringCount) else { throw FormatError("string id \(id) of \(stringCount)") }
            ids.append(Int(id))
            previous = id
        }
        return ids
    }

    private mutating func parseHeader() throws(FormatError) {
        let typeCount = try count("sample type count")
        guard typeCount > 0 else { throw FormatError("profile has no sample types") }
        for _ in 0..<typeCount {
            header.sampleTypes.append(ValueType(type: string(try stringID()), unit: string(try stringID())))
        }
        switch try r.u8() {
        case 0: header.periodType = nil
        case 1: header.periodType = ValueType(type: string(try stringID()), unit: string(try stringID()))
        case let flag: throw FormatError("period type flag is \(flag)")
        }
        header.period = try r.svarint()
        header.timeNanos = try r.svarint()
        header.durationNanos = try r.svarint()
        header.defaultSampleType = string(try stringID())
        header.dropFrames = string(try stringID())
        header.keepFrames = string(try stringID())
        header.docURL = string(try stringID())
        let commentCount = try count("comment count")
        for _ in 0..<commentCount { header.comments.append(string(try stringID())) }
    }

    private mutating func parseLocations() throws(FormatError) {
        let first = locationMappings.count
        let locationCount = try count("location count")
        guard locationCount > 0 else { return }
        locationMappings.reserveCapacity(first + locationCount)
        for _ in 0..<locationCount {
            locationMappings.append(try r.count(atMost: mappings.count, "location mapping id"))
        }
        locationAddresses.reserveCapacity(first + locationCount)
        var previousAddress: [Int: UInt64] = [:]
        for mapping in locationMappings[first...] {
            let previous = previousAddress[mapping] ?? (mapping == 0 ? 0 : mappings[mapping - 1].start)
            let address = previous &+ UInt64(bitPattern: try r.svarint())
            locationAddresses.append(address)
            previousAddress[mapping] = address
        }
        locationFolded.reserveCapacity(first + locationCount)
        lineStarts.reserveCapacity(first + locationCount + 1)
        let firstLine = lineFunctions.count
        var lineCount = firstLine
        for index in 0..<locationCount {
            let shape = try r.uvarint()
            // Each line takes at least three bytes later on, so the lines cannot outnumber the bytes left.
            guard shape >> 1 <= UInt64(r.remaining), lineCount - firstLine + Int(shape >> 1) <= r.remaining else {
                throw FormatError("location \(first + index + 1) has more lines than bytes left")
            }
            lineCount += Int(shape >> 1)
            lineStarts.append(lineCount)
            locationFolded.append(shape & 1 == 1)
        }
        let functionCount = functionNames.count
        lineFunctions.reserveCapacity(lineCount)
        var previousFunction: UInt64 = 0
        for _ in firstLine..<lineCount {
            previousFunction = previousFunction &+ UInt64(bitPattern: try r.svarint())
            guard previousFunction <= UInt64(functionCount) else {
                throw FormatError("line refers to function \(previousFunction) of \(functionCount)")
            }
            lineFunctions.append(Int(previousFunction))
        }
        lineNumbers.reserveCapacity(lineCount)
        for _ in firstLine..<lineCount { lineNumbers.append(try r.svarint()) }
        lineColumns.reserveCapacity(lineCount)
        for _ in firstLine..<lineCount { lineColumns.append(try r.svarint()) }
    }

    private mutating func parseStacksAndLabels() throws(FormatError) {
        let locationCount = locationMappings.count
        let stackCount = try count("stack count")
        if stackCount > 0 { stackStarts.reserveCapacity(stackStarts.count + stackCount) }
        for _ in 0..<stackCount {
            let depth = try count("stack depth")
            var previous: UInt64 = 0
            for _ in 0..<depth {
                previous = previous &+ UInt64(bitPattern: try r.svarint())
                guard previous >= 1 && previous <= UInt64(locationCount) else {
                    throw FormatError("stack refers to location \(previous) of \(locationCount)")
                }
                stackFrames.append(Int(previous))
            }
            stackStarts.append(stackFrames.count)
        }

        let labelSetCount = try count("label set count")
        if labelSetCount > 0 { labelSetStarts.reserveCapacity(labelSetStarts.count + labelSetCount) }
        for _ in 0..<labelSetCount {
            let labelCount = try count("label count")
            for _ in 0..<labelCount {
                let head = try r.uvarint()
                let keyID = head >> 2
                guard keyID >= 1 && keyID < UInt64(stringCount) else {
                    throw FormatError("label key id \(keyID)")
                }
                let key = Int(keyID)
                switch head & 3 {
                case 0: labels.append(.init(key: key, kind: 0, string: try stringID(), number: 0))
                case 1: labels.append(.init(key: key, kind: 1, string: 0, number: try r.svarint()))
                case 2:
                    let number = try r.svarint()
                    labels.append(.init(key: key, kind: 2, string: try stringID(), number: number))
                default: throw FormatError("label \(string(key)) has unknown kind 3")
                }
            }
            labelSetStarts.append(labels.count)
        }
    }

    private mutating func parseSamples() throws(FormatError) {
        let typeCount = header.sampleTypes.count
        let stackCount = stackStarts.count - 1
        let labelSetCount = labelSetStarts.count - 1
        let rowCount = try count("sample count")
        sampleStacks.reserveCapacity(rowCount)
        for _ in 0..<rowCount { sampleStacks.append(try r.count(atMost: stackCount - 1, "sample stack index")) }
        sampleLabelSets.reserveCapacity(rowCount)
        for _ in 0..<rowCount {
            sampleLabelSets.append(try r.count(atMost: labelSetCount - 1, "sample label set index"))
        }
        values = [Int64](repeating: 0, count: rowCount * typeCount)
        for column in 0..<typeCount {
            let divisor = try r.uvarint()
            guard divisor >= 1 && divisor <= UInt64(Int64.max) else { throw FormatError("value divisor \(divisor)") }
            for row in 0..<rowCount {
                let (value, overflow) = try r.svarint().multipliedReportingOverflow(by: Int64(divisor))
                guard !overflow else { throw FormatError("sample value overflows") }
                values[row * typeCount + column] = value
            }
        }
    }

    /// The rows of a codec 2 profile when its order section says they are those its samples refer to.
    private func derivedOrder() -> (mappings: [Int], functions: [Int], locations: [Int]) {
        var seenLocations = [Bool](repeating: false, count: locationMappings.count + 1)
        var seenMappings = [Bool](repeating: false, count: mappings.count + 1)
        var seenFunctions = [Bool](repeating: false, count: functionNames.count + 1)
        var locations: [Int] = []
        var mappingOrder: [Int] = []
        var functions: [Int] = []
        var seenStacks = [Bool](repeating: false, count: stackStarts.count - 1)
        for stack in sampleStacks where !seenStacks[stack] {
            seenStacks[stack] = true
            for location in stackFrames[stackStarts[stack]..<stackStarts[stack + 1]] where !seenLocations[location] {
                seenLocations[location] = true
                locations.append(location)
            }
        }
        for location in locations {
            let mapping = locationMappings[location - 1]
            if mapping != 0 && !seenMappings[mapping] {
                seenMappings[mapping] = true
                mappingOrder.append(mapping)
            }
            for line in lineStarts[location - 1]..<lineStarts[location] {
                let function = lineFunctions[line]
                if function != 0 && !seenFunctions[function] {
                    seenFunctions[function] = true
                    functions.append(function)
                }
            }
        }
        return (mappingOrder, functions, locations)
    }

    /// An explicit list of distinct row ids `1...count`, delta-encoded.
    private mutating func rowList(of count: Int, _ what: String) throws(FormatError) -> [Int] {
        let length = try self.count("\(what) order length")
        var rows: [Int] = []
        rows.reserveCapacity(length)
        var seen = Set<Int>()
        var previous: Int64 = 0
        for _ in 0..<length {
            let (row, overflow) = previous.addingReportingOverflow(try r.svarint())
            guard !overflow, row >= 1, row <= Int64(count), seen.insert(Int(row)).inserted else {
                throw FormatError("\(what) order names row \(row) of \(count) (or twice)")
            }
            rows.append(Int(row))
            previous = row
        }
        return rows
    }

    // MARK: Materializing

    /// String `id`; a context's strings are all cached, so only strings of the bytes being parsed are read here.
    mutating func string(_ id: Int) -> String {
        if id < contextStrings.count { return contextStrings[id] }
        let local = id - contextStrings.count
        if let cached = stringCache[local] { return cached }
        let value = String(decoding: bytes[stringRanges[local]], as: UTF8.self)
        stringCache[local] = value
        return value
    }

    /// The profile made of these mapping, function and location rows (ids `1...n` in this order) and all samples.
    fileprivate mutating func profile(
        mappings mappingRows: [Int], functions functionRows: [Int], locations locationRows: [Int]
    ) throws(FormatError) -> Profile {
        var mappingIDs = [UInt64](repeating: 0, count: mappings.count + 1)
        var functionIDs = [UInt64](repeating: 0, count: functionNames.count + 1)
        var locationIDs = [UInt64](repeating: 0, count: locationMappings.count + 1)
        // Built in locals and assigned once: the arrays of `Profile` have observers, so appending to them in place
        // would copy them on every append.
        var profileMappings: [Mapping] = []
        profileMappings.reserveCapacity(mappingRows.count)
        for (index, row) in mappingRows.enumerated() {
            let id = UInt64(index + 1)
            mappingIDs[row] = id
            let m = mappings[row - 1]
            profileMappings.append(
                Mapping(
                    id: id, start: m.start, limit: m.limit, offset: m.offset, file: string(m.file),
                    buildID: string(m.buildID), hasFunctions: m.flags & 1 != 0, hasFilenames: m.flags & 2 != 0,
                    hasLineNumbers: m.flags & 4 != 0, hasInlineFrames: m.flags & 8 != 0))
        }
        var functions: [Function] = []
        functions.reserveCapacity(functionRows.count)
        for (index, row) in functionRows.enumerated() {
            let id = UInt64(index + 1)
            functionIDs[row] = id
            functions.append(
                Function(
                    id: id, name: string(functionNames[row - 1]), systemName: string(functionSystemNames[row - 1]),
                    filename: string(functionFilenames[row - 1]), startLine: functionStartLines[row - 1]))
        }
        var locations: [Location] = []
        locations.reserveCapacity(locationRows.count)
        for (index, row) in locationRows.enumerated() {
            let id = UInt64(index + 1)
            locationIDs[row] = id
            let mappingRow = locationMappings[row - 1]
            guard mappingRow == 0 || mappingIDs[mappingRow] != 0 else {
                throw FormatError(
                    "location row \(row) refers to mapping row \(mappingRow), which is not in the profile")
            }
            var lines: [Line] = []
            lines.reserveCapacity(lineStarts[row] - lineStarts[row - 1])
            for line in lineStarts[row - 1]..<lineStarts[row] {
                let functionRow = lineFunctions[line]
                guard functionRow == 0 || functionIDs[functionRow] != 0 else {
                    throw FormatError("location row \(row) refers to function row \(functionRow), not in the profile")
                }
                lines.append(
                    Line(functionID: functionIDs[functionRow], line: lineNumbers[line], column: lineColumns[line]))
            }
            locations.append(
                Location(
                    id: id, mappingID: mappingIDs[mappingRow], address: locationAddresses[row - 1], lines: lines,
                    isFolded: locationFolded[row - 1]))
        }

        var stackCache = [[UInt64]?](repeating: nil, count: stackStarts.count - 1)
        var labelCache = [[Label]?](repeating: nil, count: labelSetStarts.count - 1)
        let typeCount = header.sampleTypes.count
        var samples: [Sample] = []
        samples.reserveCapacity(sampleStacks.count)
        for row in sampleStacks.indices {
            let stackIndex = sampleStacks[row]
            let stack: [UInt64]
            if let cached = stackCache[stackIndex] {
                stack = cached
            } else {
                var ids: [UInt64] = []
                ids.reserveCapacity(stackStarts[stackIndex + 1] - stackStarts[stackIndex])
                for location in stackFrames[stackStarts[stackIndex]..<stackStarts[stackIndex + 1]] {
                    guard locationIDs[location] != 0 else {
                        throw FormatError("a sample refers to location row \(location), which is not in the profile")
                    }
                    ids.append(locationIDs[location])
                }
                stackCache[stackIndex] = ids
                stack = ids
            }
            let labelIndex = sampleLabelSets[row]
            let labels: [Label]
            if let cached = labelCache[labelIndex] {
                labels = cached
            } else {
                labels = labelSet(labelIndex)
                labelCache[labelIndex] = labels
            }
            samples.append(
                Sample(
                    locationIDs: stack, values: Array(values[row * typeCount..<(row + 1) * typeCount]), labels: labels))
        }
        var profile = header
        profile.mappings = profileMappings
        profile.functions = functions
        profile.locations = locations
        profile.samples = samples
        return profile
    }

    /// Label set `index` as labels.
    mutating func labelSet(_ index: Int) -> [Label] {
        var result: [Label] = []
        result.reserveCapacity(labelSetStarts[index + 1] - labelSetStarts[index])
        for position in labelSetStarts[index]..<labelSetStarts[index + 1] {
            let label = labels[position]
            let key = string(label.key)
            switch label.kind {
            case 0: result.append(.string(key, string(label.string)))
            case 1: result.append(.number(key, label.number))
            default: result.append(.number(key, label.number, unit: string(label.string)))
            }
        }
        return result
    }
}
