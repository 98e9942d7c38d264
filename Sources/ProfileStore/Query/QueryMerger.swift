import ProfileModel

/// Merges parsed block payloads into one profile, exactly as `Profile.merge` merges the blocks' profiles (pruned by
/// the query's predicate like `Profile.keepingSamples(where:)`), without making a `Profile` of each block.
///
/// `Profile.merge` re-interns every mapping, function and location of every input by hashing its fields, strings
/// included; a day of blocks repeats the same rows thousands of times. Here rows are interned by ids: strings once
/// into ids, then mappings, functions and locations by their ids. And the rows of a dictionary's context, shared by
/// all the blocks written with it, are mapped to merged ids once per dictionary (``ContextMap``), so a block costs
/// little more than its samples and its own rows. The interning order is that of `ProfileBuilder.add`: each block's
/// mappings, functions and locations in its profile order, then its samples; so ids, order and values come out as
/// `Profile.merge` makes them.
struct QueryMerger {
    private struct MappingKey: Hashable {
        var start: UInt64
        var limit: UInt64
        var offset: UInt64
        var file: Int
        var buildID: Int
        var flags: UInt8
    }

    private struct FunctionKey: Hashable {
        var name: Int
        var systemName: Int
        var filename: Int
        var startLine: Int64
    }

    private struct LineKey: Hashable {
        var function: UInt64
        var line: Int64
        var column: Int64
    }

    private struct LocationKey: Hashable {
        var mapping: UInt64
        var address: UInt64
        var lines: [LineKey]
        var isFolded: Bool
    }

    /// A location without its lines. The same code at the same address of the same mapping has the same lines
    /// almost always, so locations are found by this key first and their lines compared in place, without
    /// building and hashing a line array for every location of every block.
    private struct AddressKey: Hashable {
        var mapping: UInt64
        var address: UInt64
        var isFolded: Bool
    }

    /// A label by merged string ids: label sets compare as multisets, so they are sorted by this.
    private struct LabelKey: Hashable, Comparable {
        var key: Int
        var kind: UInt8
        var string: Int
        var number: Int64

        static func < (a: LabelKey, b: LabelKey) -> Bool {
            (a.key, a.kind, a.string, a.number) < (b.key, b.kind, b.string, b.number)
        }
    }

    /// A sample's identity: its stack and its label multiset, each interned.
    private struct SampleKey: Hashable {
        var stack: Int
        var labels: Int
    }

    /// A label set as decoded, as kept in a sample (no empty string values), and the id of its multiset.
    private struct LabelSet {
        var labels: [Label]
        var kept: [Label]
        var id: Int
    }

    /// A stack as merged location ids, and its id.
    private struct Stack {
        var locations: [UInt64]
        var id: Int
    }

    /// Merged ids of the rows of one dictionary's context (0: not merged yet), its label sets and its stacks, each
    /// worked out once for all the blocks written with the dictionary.
    private struct ContextMap {
        var strings: [Int]
        var mappings: [UInt64]
        var functions: [UInt64]
        var locations: [UInt64]
        var labelSets: [LabelSet?]
        var stacks: [Stack?]

        init(_ counts: PayloadTables.Counts) {
            strings = [Int](repeating: -1, count: counts.strings + 1)
            mappings = [UInt64](repeating: 0, count: counts.mappings + 1)
            functions = [UInt64](repeating: 0, count: counts.functions + 1)
            locations = [UInt64](repeating: 0, count: counts.locations + 1)
            labelSets = Array(repeating: nil, count: counts.labelSets)
            stacks = Array(repeating: nil, count: counts.stacks)
        }
    }

    private var header: Profile?
    private var windows: [(timeNanos: Int64, durationNanos: Int64)] = []
    private var seenComments = Set<String>()
    private var stringIDs: [String: Int] = ["": 0]
    private var strings: [String] = [""]
    private var mappingIDs: [MappingKey: UInt64] = [:]
    private var mappings: [Mapping] = []
    private var functionIDs: [FunctionKey: UInt64] = [:]
    private var functions: [Function] = []
    /// The first merged location of each address key.
    private var locationsByAddress: [AddressKey: UInt64] = [:]
    /// Locations whose address key an earlier location with other lines took.
    private var otherLocationIDs: [LocationKey: UInt64] = [:]
    private var locations: [Location] = []
    private var stackIDs: [[UInt64]: Int] = [:]
    private var labelSetIDs: [[LabelKey]: Int] = [:]
    private var sampleIndices: [SampleKey: Int] = [:]
    private var samples: [Sample] = []
    private var contexts: [DictionaryCache.Key: ContextMap] = [:]

    /// Whether no block was added.
    var isEmpty: Bool { header == nil }

    /// Adds one block. `dictionary` identifies the dictionary (in its file) whose context the block's first rows
    /// are, nil for a block without one; `predicate` keeps the samples whose labels it accepts.
    ///
    /// - Throws: ``FormatError`` when the block has a label without a key (`Profile.validate` would reject it);
    ///   nothing of the block is merged then.
    mutating func add(
        _ parsed: PayloadDecoder.Parsed, dictionary: DictionaryCache.Key?, predicate: (([Label]) -> Bool)?
    ) throws(FormatError) {
        var block = parsed.decoder
        // Taken out of the dictionary while in use, so that updating it copies nothing.
        var context = dictionary.flatMap { contexts.removeValue(forKey: $0) } ?? ContextMap(parsed.context)
        defer { if let dictionary { contexts[dictionary] = context } }

        // Labels first: they decide which samples are kept, and a bad one rejects the block before it is merged.
        let contextLabelSets = parsed.context.labelSets
        var localLabelSets = [LabelSet?](repeating: nil, count: block.labelSetStarts.count - 1 - contextLabelSets)
        var kept: [Int] = []
        kept.reserveCapacity(block.sampleStacks.count)
        for row in block.sampleStacks.indices {
            let index = block.sampleLabelSets[row]
            let cached = index < contextLabelSets ? context.labelSets[index] : localLabelSets[index - contextLabelSets]
            let labelSet: LabelSet
            if let cached {
                labelSet = cached
            } else {
                let labels = block.labelSet(index)
                guard labels.allSatisfy({ !$0.key.isEmpty }) else { throw FormatError("a label has an empty key") }
                let nonEmpty = labels.filter { $0.string.map { !$0.isEmpty } ?? true }
                var key: [LabelKey] = []
                for label in nonEmpty { key.append(labelKey(label)) }
                key.sort()
                let id = labelSetIDs[key] ?? labelSetIDs.count
                labelSetIDs[key] = id
                labelSet = LabelSet(labels: labels, kept: nonEmpty, id: id)
                if index < contextLabelSets {
                    context.labelSets[index] = labelSet
                } else {
                    localLabelSets[index - contextLabelSets] = labelSet
                }
            }
            if predicate?(labelSet.labels) ?? true { kept.append(row) }
        }

        // The rows of the (pruned) profile, in profile order.
        var mappingRows = parsed.mappings
        var functionRows = parsed.functions
        var locationRows = parsed.locations
        if predicate != nil {
            var usedLocations = [Bool](repeating: false, count: block.locationMappings.count + 1)
            for row in kept {
                let stack = block.sampleStacks[row]
                for location in block.stackFrames[block.stackStarts[stack]..<block.stackStarts[stack + 1]] {
                    usedLocations[location] = true
                }
            }
            locationRows = locationRows.filter { usedLocations[$0] }
            var usedMappings = [Bool](repeating: false, count: block.mappings.count + 1)
            var usedFunctions = [Bool](repeating: false, count: block.functionNames.count + 1)
            for location in locationRows {
                usedMappings[block.locationMappings[location - 1]] = true
                for line in block.lineStarts[location - 1]..<block.lineStarts[location] {
                    usedFunctions[block.lineFunctions[line]] = true
                }
            }
            mappingRows = mappingRows.filter { usedMappings[$0] }
            functionRows = functionRows.filter { usedFunctions[$0] }
        }

        // Strings, mappings, functions and locations, each table in profile order, as ProfileBuilder.add does.
        let counts = parsed.context
        var localStrings = [Int](repeating: -1, count: block.stringCount - counts.strings)
        func string(_ id: Int) -> Int {
            if id <= counts.strings, context.strings[id] >= 0 { return context.strings[id] }
            if id > counts.strings, localStrings[id - counts.strings] >= 0 { return localStrings[id - counts.strings] }
            let merged = intern(block.string(id))
            if id <= counts.strings { context.strings[id] = merged } else { localStrings[id - counts.strings] = merged }
            return merged
        }
        var mappingIDs = [UInt64](repeating: 0, count: block.mappings.count + 1)
        for row in mappingRows {
            if row <= counts.mappings, context.mappings[row] != 0 {
                mappingIDs[row] = context.mappings[row]
                continue
            }
            let m = block.mappings[row - 1]
            let key = MappingKey(
                start: m.start, limit: m.limit, offset: m.offset, file: string(m.file), buildID: string(m.buildID),
                flags: m.flags)
            mappingIDs[row] = internMapping(key)
            if row <= counts.mappings { context.mappings[row] = mappingIDs[row] }
        }
        var functionIDs = [UInt64](repeating: 0, count: block.functionNames.count + 1)
        for row in functionRows {
            if row <= counts.functions, context.functions[row] != 0 {
                functionIDs[row] = context.functions[row]
                continue
            }
            let key = FunctionKey(
                name: string(block.functionNames[row - 1]), systemName: string(block.functionSystemNames[row - 1]),
                filename: string(block.functionFilenames[row - 1]), startLine: block.functionStartLines[row - 1])
            functionIDs[row] = internFunction(key)
            if row <= counts.functions { context.functions[row] = functionIDs[row] }
        }
        var locationIDs = [UInt64](repeating: 0, count: block.locationMappings.count + 1)
        for row in locationRows {
            // A context location is the same merged location in every block only if its mapping and functions are:
            // they are, because context rows map to merged ids once and for all.
            if row <= counts.locations, context.locations[row] != 0 {
                locationIDs[row] = context.locations[row]
                continue
            }
            let lineRows = block.lineStarts[row - 1]..<block.lineStarts[row]
            let addressKey = AddressKey(
                mapping: mappingIDs[block.locationMappings[row - 1]], address: block.locationAddresses[row - 1],
                isFolded: block.locationFolded[row - 1])
            if let id = locationsByAddress[addressKey],
                locations[Int(id) - 1].lines.elementsEqual(lineRows, by: { line, row in
                    line.functionID == functionIDs[block.lineFunctions[row]] && line.line == block.lineNumbers[row]
                        && line.column == block.lineColumns[row]
                })
            {
                locationIDs[row] = id
            } else {
                let lines = lineRows.map {
                    LineKey(
                        function: functionIDs[block.lineFunctions[$0]], line: block.lineNumbers[$0],
                        column: block.lineColumns[$0])
                }
                locationIDs[row] = internLocation(addressKey, lines: lines)
            }
            if row <= counts.locations { context.locations[row] = locationIDs[row] }
        }

        // Samples, in order; equal stacks and label multisets add up.
        let typeCount = block.header.sampleTypes.count
        let contextStacks = counts.stacks
        var localStacks = [Stack?](repeating: nil, count: block.stackStarts.count - 1 - contextStacks)
        for row in kept {
            let index = block.sampleStacks[row]
            let stack: Stack
            if let cached = index < contextStacks ? context.stacks[index] : localStacks[index - contextStacks] {
                stack = cached
            } else {
                let locations = block.stackFrames[block.stackStarts[index]..<block.stackStarts[index + 1]].map {
                    locationIDs[$0]
                }
                let id = stackIDs[locations] ?? stackIDs.count
                stackIDs[locations] = id
                stack = Stack(locations: locations, id: id)
                if index < contextStacks {
                    context.stacks[index] = stack
                } else {
                    localStacks[index - contextStacks] = stack
                }
            }
            let labelIndex = block.sampleLabelSets[row]
            let labelSet =
                labelIndex < contextLabelSets
                ? context.labelSets[labelIndex] : localLabelSets[labelIndex - contextLabelSets]
            let values = block.values[row * typeCount..<(row + 1) * typeCount]
            let key = SampleKey(stack: stack.id, labels: labelSet?.id ?? -1)
            if let position = sampleIndices[key] {
                for (column, value) in values.enumerated() {
                    samples[position].values[column] = samples[position].values[column].addingSaturated(value)
                }
            } else {
                sampleIndices[key] = samples.count
                samples.append(
                    Sample(locationIDs: stack.locations, values: Array(values), labels: labelSet?.kept ?? []))
            }
        }

        // The header, as Profile.merge combines headers.
        let blockHeader = block.header
        windows.append((blockHeader.timeNanos, blockHeader.durationNanos))
        if var merged = header {
            if let periodType = blockHeader.periodType { merged.periodType = periodType }
            merged.period = max(merged.period, blockHeader.period)
            if merged.defaultSampleType.isEmpty { merged.defaultSampleType = blockHeader.defaultSampleType }
            if merged.dropFrames.isEmpty { merged.dropFrames = blockHeader.dropFrames }
            if merged.keepFrames.isEmpty { merged.keepFrames = blockHeader.keepFrames }
            if merged.docURL.isEmpty { merged.docURL = blockHeader.docURL }
            for comment in blockHeader.comments where seenComments.insert(comment).inserted {
                merged.comments.append(comment)
            }
            header = merged
        } else {
            var merged = Profile(
                sampleTypes: blockHeader.sampleTypes, periodType: blockHeader.periodType, period: blockHeader.period,
                defaultSampleType: blockHeader.defaultSampleType)
            merged.dropFrames = blockHeader.dropFrames
            merged.keepFrames = blockHeader.keepFrames
            merged.docURL = blockHeader.docURL
            for comment in blockHeader.comments where seenComments.insert(comment).inserted {
                merged.comments.append(comment)
            }
            header = merged
        }
    }

    /// The merged profile, or nil if no block was added.
    func result() -> Profile? {
        guard var profile = header else { return nil }
        profile.mappings = mappings
        profile.functions = functions
        profile.locations = locations
        profile.samples = samples
        // Profile.merge: the earliest start, and the span to the latest end when every block has a start.
        let starts = windows.map(\.timeNanos).filter { $0 != 0 }
        let start = starts.min() ?? 0
        if starts.count == windows.count {
            let end = windows.map { $0.timeNanos.addingSaturated($0.durationNanos) }.max() ?? start
            (profile.timeNanos, profile.durationNanos) = (start, end.addingSaturated(-start))
        } else {
            (profile.timeNanos, profile.durationNanos) = (
                start, windows.reduce(0) { $0.addingSaturated($1.durationNanos) }
            )
        }
        return profile
    }

    private mutating func intern(_ string: String) -> Int {
        if let id = stringIDs[string] { return id }
        strings.append(string)
        stringIDs[string] = strings.count - 1
        return strings.count - 1
    }

    private mutating func labelKey(_ label: Label) -> LabelKey {
        let key = intern(label.key)
        if let string = label.string { return LabelKey(key: key, kind: 0, string: intern(string), number: 0) }
        if let unit = label.numberUnit {
            return LabelKey(key: key, kind: 2, string: intern(unit), number: label.number ?? 0)
        }
        return LabelKey(key: key, kind: 1, string: 0, number: label.number ?? 0)
    }

    private mutating func internMapping(_ key: MappingKey) -> UInt64 {
        if let id = mappingIDs[key] { return id }
        let id = UInt64(mappings.count + 1)
        mappings.append(
            Mapping(
                id: id, start: key.start, limit: key.limit, offset: key.offset, file: strings[key.file],
                buildID: strings[key.buildID], hasFunctions: key.flags & 1 != 0, hasFilenames: key.flags & 2 != 0,
                hasLineNumbers: key.flags & 4 != 0, hasInlineFrames: key.flags & 8 != 0))
        mappingIDs[key] = id
        return id
    }

    private mutating func internFunction(_ key: FunctionKey) -> UInt64 {
        if let id = functionIDs[key] { return id }
        let id = UInt64(functions.count + 1)
        functions.append(
            Function(
                id: id, name: strings[key.name], systemName: strings[key.systemName], filename: strings[key.filename],
                startLine: key.startLine))
        functionIDs[key] = id
        return id
    }

    /// The merged id of a location whose lines differ from those of the first location with `addressKey`, if any.
    private mutating func internLocation(_ addressKey: AddressKey, lines: [LineKey]) -> UInt64 {
        let key = LocationKey(
            mapping: addressKey.mapping, address: addressKey.address, lines: lines, isFolded: addressKey.isFolded)
        if let id = otherLocationIDs[key] { return id }
        let id = UInt64(locations.count + 1)
        locations.append(
            Location(
                id: id, mappingID: key.mapping, address: key.address,
                lines: key.lines.map { Line(functionID: $0.function, line: $0.line, column: $0.column) },
                isFolded: key.isFolded))
        if locationsByAddress[addressKey] == nil {
            locationsByAddress[addressKey] = id
        } else {
            otherLocationIDs[key] = id
        }
        return id
    }
}
