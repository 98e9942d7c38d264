extension PayloadTables {
    /// New tables holding stacks `stackIndexes` and label sets `labelSetIndexes` of these tables, the rows they
    /// refer to and `extraStrings` (the header strings of the blocks to come), and nothing else, every table sorted
    /// by content.
    ///
    /// Sorted, the columns of a payload have small deltas (addresses within a mapping, string ids of names) and
    /// neighboring rows share bytes (stacks with a common root, strings with a common prefix), so a dictionary built
    /// from these tables compresses about twice as well as one in order of first appearance. Which order a context
    /// has does not matter otherwise: payloads written against it repeat it as it is.
    func canonicalContext(
        stacks stackIndexes: [Int], labelSets labelSetIndexes: [Int], strings extraStrings: [String] = []
    ) -> PayloadTables {
        var usedLocations = Set<Int>()
        for index in stackIndexes { usedLocations.formUnion(stacks[index]) }
        var usedMappings = Set<Int>()
        var usedFunctions = Set<Int>()
        for id in usedLocations {
            let location = locations[id - 1]
            if location.mapping != 0 { usedMappings.insert(location.mapping) }
            for line in location.lines where line.function != 0 { usedFunctions.insert(line.function) }
        }
        var usedStrings = Set<Int>()
        for id in usedMappings { usedStrings.formUnion([mappings[id - 1].file, mappings[id - 1].buildID]) }
        for id in usedFunctions {
            let function = functions[id - 1]
            usedStrings.formUnion([function.name, function.systemName, function.filename])
        }
        for index in labelSetIndexes {
            for label in labelSets[index] {
                usedStrings.insert(label.key)
                if label.kind != 1 { usedStrings.insert(label.string) }
            }
        }
        usedStrings.remove(0)

        var result = PayloadTables()
        let allStrings = Set(usedStrings.map { string(at: $0) } + extraStrings.filter { !$0.isEmpty })
        for value in allStrings.sorted(by: utf8Order) { _ = result.string(value) }
        var stringIDs: [Int: Int] = [0: 0]
        for id in usedStrings { stringIDs[id] = result.id(of: string(at: id)) }
        func newString(_ id: Int) -> Int { stringIDs[id] ?? 0 }

        var mappingIDs: [Int: Int] = [0: 0]
        let newMappings = usedMappings.map { id -> (id: Int, row: MappingRow) in
            var row = mappings[id - 1]
            row.file = newString(row.file)
            row.buildID = newString(row.buildID)
            return (id, row)
        }.sorted { a, b in
            (a.row.start, a.row.limit, a.row.offset, a.row.file, a.row.buildID, a.row.flags)
                < (b.row.start, b.row.limit, b.row.offset, b.row.file, b.row.buildID, b.row.flags)
        }
        for entry in newMappings { mappingIDs[entry.id] = result.mapping(row: entry.row) }

        var functionIDs: [Int: Int] = [0: 0]
        let newFunctions = usedFunctions.map { id -> (id: Int, row: FunctionRow) in
            let old = functions[id - 1]
            let row = FunctionRow(
                name: newString(old.name), systemName: newString(old.systemName), filename: newString(old.filename),
                startLine: old.startLine)
            return (id, row)
        }.sorted { a, b in
            (a.row.filename, a.row.name, a.row.systemName, a.row.startLine)
                < (b.row.filename, b.row.name, b.row.systemName, b.row.startLine)
        }
        for entry in newFunctions { functionIDs[entry.id] = result.function(row: entry.row) }

        var locationIDs: [Int: Int] = [:]
        let newLocations = usedLocations.map { id -> (id: Int, row: LocationRow) in
            var row = locations[id - 1]
            row.mapping = mappingIDs[row.mapping] ?? 0
            row.lines = row.lines.map {
                LineRow(function: functionIDs[$0.function] ?? 0, line: $0.line, column: $0.column)
            }
            return (id, row)
        }.sorted { Self.precedes($0.row, $1.row) }
        for entry in newLocations { locationIDs[entry.id] = result.location(entry.row) }

        // Root first, so stacks with a common caller chain are neighbors.
        let newStacks = stackIndexes.map { index in stacks[index].map { locationIDs[$0] ?? 0 } }.sorted {
            $0.reversed().lexicographicallyPrecedes($1.reversed())
        }
        for stack in newStacks { _ = result.stack(stack) }

        let newLabelSets = labelSetIndexes.map { index in
            labelSets[index].map {
                LabelRow(key: newString($0.key), kind: $0.kind, string: newString($0.string), number: $0.number)
            }
        }.sorted {
            $0.lexicographicallyPrecedes($1) { a, b in
                (a.key, a.kind, a.string, a.number) < (b.key, b.kind, b.string, b.number)
            }
        }
        for labels in newLabelSets { _ = result.labelSet(rows: labels) }
        return result
    }

    /// Location order: by mapping, address, folding, then lines.
    private static func precedes(_ a: LocationRow, _ b: LocationRow) -> Bool {
        if a.mapping != b.mapping { return a.mapping < b.mapping }
        if a.address != b.address { return a.address < b.address }
        if a.isFolded != b.isFolded { return !a.isFolded }
        return a.lines.lexicographicallyPrecedes(b.lines) { x, y in
            (x.function, x.line, x.column) < (y.function, y.line, y.column)
        }
    }
}
