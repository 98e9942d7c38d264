import ProfileModel

/// The tables of a block payload in content form: strings, mappings, functions, locations, stacks and label sets,
/// each row interned once and identified by its position (storage/FORMAT.md, "Block payload").
///
/// Rows refer to each other by id (a location row names its mapping, a function row its string ids), so a table is
/// only meaningful together with the tables before it. Interning appends: the rows of tables copied from others (a
/// dictionary's *context*, see ``BlockDictionary``) keep their positions, which is what makes payloads written
/// against the same context share long byte runs with it.
///
/// ``layered()`` turns the rows so far into a shared, read-only base: copies of layered tables (one per window
/// encoded against a context) add rows of their own without copying the base.
struct PayloadTables: Sendable {
    struct MappingRow: Hashable, Sendable {
        var start: UInt64
        var limit: UInt64
        var offset: UInt64
        var file: Int
        var buildID: Int
        /// Bits `1` hasFunctions, `2` hasFilenames, `4` hasLineNumbers, `8` hasInlineFrames.
        var flags: UInt8
    }

    struct FunctionRow: Hashable, Sendable {
        var name: Int
        var systemName: Int
        var filename: Int
        var startLine: Int64
    }

    struct LineRow: Hashable, Sendable {
        /// Function id, 1-based; 0 for none.
        var function: Int
        var line: Int64
        var column: Int64
    }

    struct LocationRow: Hashable, Sendable {
        /// Mapping id, 1-based; 0 for none.
        var mapping: Int
        var address: UInt64
        var lines: [LineRow]
        var isFolded: Bool
    }

    struct LabelRow: Hashable, Sendable {
        var key: Int
        /// `0` string, `1` number, `2` number with unit.
        var kind: UInt8
        /// The value string id (kind 0) or the unit string id (kind 2).
        var string: Int
        var number: Int64
    }

    /// Strings `1...n` (id 0 is the empty string and is not stored): those of the base, then those added since.
    private var baseStrings: [String] = []
    private var baseStringIDs: [String: Int] = ["": 0]
    private var ownStrings: [String] = []
    private var ownStringIDs: [String: Int] = [:]
    /// Mapping rows; row `i` (0-based) has mapping id `i + 1`.
    private(set) var mappings = InternTable<MappingRow>()
    /// Function rows; row `i` has function id `i + 1`.
    private(set) var functions = InternTable<FunctionRow>()
    /// Location rows; row `i` has location id `i + 1`.
    private(set) var locations = InternTable<LocationRow>()
    /// Stacks as location ids, leaf first; stack indexes are 0-based.
    private(set) var stacks = InternTable<[Int]>()
    /// Label sets; indexes are 0-based.
    private(set) var labelSets = InternTable<[LabelRow]>()

    private(set) var stringBytes = 0
    private(set) var lineCount = 0
    private(set) var stackFrames = 0
    private(set) var labelCount = 0

    /// How many rows each table has.
    struct Counts: Sendable, Equatable {
        var strings = 0
        var mappings = 0
        var functions = 0
        var locations = 0
        var stacks = 0
        var labelSets = 0
    }

    var counts: Counts {
        Counts(
            strings: stringCount, mappings: mappings.count, functions: functions.count, locations: locations.count,
            stacks: stacks.count, labelSets: labelSets.count)
    }

    /// Rough bytes of the encoded tables: strings plus a few bytes per row.
    var estimatedBytes: Int {
        stringBytes + stringCount + 12 * mappings.count + 6 * functions.count + 5 * locations.count
            + 8 * lineCount + 2 * stackFrames + stacks.count + 3 * labelCount + labelSets.count
    }

    /// Strings stored (the empty string not counted).
    var stringCount: Int { baseStrings.count + ownStrings.count }

    /// The id of `value`, adding it if new.
    mutating func string(_ value: String) -> Int {
        if let id = id(of: value) { return id }
        ownStrings.append(value)
        stringBytes += value.utf8.count
        ownStringIDs[value] = stringCount
        return stringCount
    }

    /// The id of `value` if it was interned.
    func id(of value: String) -> Int? {
        baseStringIDs[value] ?? ownStringIDs[value]
    }

    /// The string with `id` (0 is the empty string).
    func string(at id: Int) -> String {
        if id == 0 { return "" }
        return id <= baseStrings.count ? baseStrings[id - 1] : ownStrings[id - 1 - baseStrings.count]
    }

    /// These tables with every row so far in a shared, read-only base (see the type's documentation).
    func layered() -> PayloadTables {
        var tables = self
        tables.baseStrings += tables.ownStrings
        tables.baseStringIDs.merge(tables.ownStringIDs) { old, _ in old }
        tables.ownStrings = []
        tables.ownStringIDs = [:]
        tables.mappings = mappings.layered()
        tables.functions = functions.layered()
        tables.locations = locations.layered()
        tables.stacks = stacks.layered()
        tables.labelSets = labelSets.layered()
        return tables
    }

    /// The mapping id (1-based) of `mapping`, adding it if new.
    mutating func mapping(_ mapping: Mapping) -> Int {
        var flags: UInt8 = 0
        if mapping.hasFunctions { flags |= 1 }
        if mapping.hasFilenames { flags |= 2 }
        if mapping.hasLineNumbers { flags |= 4 }
        if mapping.hasInlineFrames { flags |= 8 }
        return self.mapping(
            row: MappingRow(
                start: mapping.start, limit: mapping.limit, offset: mapping.offset, file: string(mapping.file),
                buildID: string(mapping.buildID), flags: flags))
    }

    /// The function id (1-based) of `function`, adding it if new.
    mutating func function(_ function: Function) -> Int {
        self.function(
            row: FunctionRow(
                name: string(function.name), systemName: string(function.systemName),
                filename: string(function.filename), startLine: function.startLine))
    }

    /// The mapping id (1-based) of a row whose string ids are ids of these tables.
    mutating func mapping(row: MappingRow) -> Int {
        mappings.insert(row).position + 1
    }

    /// The function id (1-based) of a row whose string ids are ids of these tables.
    mutating func function(row: FunctionRow) -> Int {
        functions.insert(row).position + 1
    }

    /// The location id (1-based) of a row whose mapping and function ids are ids of these tables.
    mutating func location(_ row: LocationRow) -> Int {
        let (position, added) = locations.insert(row)
        if added { lineCount += row.lines.count }
        return position + 1
    }

    /// The index (0-based) of the stack with these location ids.
    mutating func stack(_ locationIDs: [Int]) -> Int {
        let (position, added) = stacks.insert(locationIDs)
        if added { stackFrames += locationIDs.count }
        return position
    }

    /// The index (0-based) of the label set `labels` (order kept).
    mutating func labelSet(_ labels: [Label]) -> Int {
        let rows = labels.map { label -> LabelRow in
            let key = string(label.key)
            if let value = label.string { return LabelRow(key: key, kind: 0, string: string(value), number: 0) }
            if let unit = label.numberUnit {
                return LabelRow(key: key, kind: 2, string: string(unit), number: label.number ?? 0)
            }
            return LabelRow(key: key, kind: 1, string: 0, number: label.number ?? 0)
        }
        return labelSet(rows: rows)
    }

    /// The index (0-based) of a label set whose string ids are ids of these tables.
    mutating func labelSet(rows: [LabelRow]) -> Int {
        let (position, added) = labelSets.insert(rows)
        if added { labelCount += rows.count }
        return position
    }
}

/// Rows interned by content, in order of insertion: those of a shared, read-only base (see
/// ``PayloadTables/layered()``), then those added since.
struct InternTable<Row: Hashable & Sendable>: Sendable {
    private var baseRows: [Row] = []
    private var basePositions: [Row: Int] = [:]
    private var ownRows: [Row] = []
    private var ownPositions: [Row: Int] = [:]

    var count: Int { baseRows.count + ownRows.count }

    /// The row at `position` (0-based).
    subscript(position: Int) -> Row {
        position < baseRows.count ? baseRows[position] : ownRows[position - baseRows.count]
    }

    /// The rows from `first` on.
    func rows(from first: Int = 0) -> [Row] {
        first >= baseRows.count ? Array(ownRows[(first - baseRows.count)...]) : Array(baseRows[first...]) + ownRows
    }

    /// The position (0-based) of `row` and whether it was added.
    mutating func insert(_ row: Row) -> (position: Int, added: Bool) {
        if let position = basePositions[row] { return (position, false) }
        if let position = ownPositions[row] { return (baseRows.count + position, false) }
        ownRows.append(row)
        ownPositions[row] = ownRows.count - 1
        return (count - 1, true)
    }

    /// This table with every row in the base.
    func layered() -> InternTable {
        guard !ownRows.isEmpty else { return self }
        var table = InternTable()
        table.baseRows = baseRows + ownRows
        table.basePositions = basePositions
        for (row, position) in ownPositions { table.basePositions[row] = baseRows.count + position }
        return table
    }
}
