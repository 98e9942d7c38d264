internal import CLibdw

/// The functions of one compilation unit and the calls inlined into them, as a tree, for finding the inline
/// chain of an address without walking DIEs on every lookup.
///
/// Roots are subprograms with code; children are the `DW_TAG_inlined_subroutine` DIEs directly nested in a
/// function (through any lexical blocks), so a path from a root is the chain of physical DIE parents that
/// `dwarf_getscopes_die` would give. Built once per unit by one pass over its DIEs.
struct InlineTree {
    /// One function DIE.
    struct Node {
        /// Offset of the DIE, to read its names when needed.
        var dieOffset: Dwarf_Off
        /// For an inlined subroutine: `DW_AT_call_file` (an index into the unit's file table) and `DW_AT_call_line`.
        var callFile: Dwarf_Word?
        var callLine: Dwarf_Word?
        /// Code ranges of the inlined subroutines directly inside this function, sorted like `roots`.
        var children: [RangeEntry] = []
    }

    struct RangeEntry {
        var low: Dwarf_Addr
        var high: Dwarf_Addr
        var node: Int
    }

    private(set) var nodes: [Node] = []
    /// Code ranges of the subprograms, sorted by start, then by DIE order descending.
    private var roots: [RangeEntry] = []

    /// Walks every DIE of the unit.
    init(unit: Dwarf_Die) {
        var unit = unit
        // Depth-first: each pending DIE with the function node it is nested in, if any.
        var pending: [(die: Dwarf_Die, function: Int?)] = []
        var child = Dwarf_Die()
        if dwarf_child(&unit, &child) == 0 { pending.append((child, nil)) }
        while let (current, function) = pending.popLast() {
            var die = current
            var sibling = Dwarf_Die()
            if dwarf_siblingof(&die, &sibling) == 0 { pending.append((sibling, function)) }

            var inner = function
            switch dwarf_tag(&die) {
            case Int32(DW_TAG_subprogram):
                let ranges = Self.ranges(of: &die)
                guard !ranges.isEmpty else { continue }  // a declaration or abstract instance: no code inside
                inner = addNode(Node(dieOffset: dwarf_dieoffset(&die)), ranges: ranges, parent: nil)
            case Int32(DW_TAG_inlined_subroutine):
                guard let function else { continue }
                let ranges = Self.ranges(of: &die)
                var node = Node(dieOffset: dwarf_dieoffset(&die))
                var value: Dwarf_Word = 0
                if CLibdw_unsignedAttribute(&die, UInt32(DW_AT_call_file), &value) { node.callFile = value }
                if CLibdw_unsignedAttribute(&die, UInt32(DW_AT_call_line), &value) { node.callLine = value }
                inner = addNode(node, ranges: ranges, parent: function)
            case Int32(DW_TAG_formal_parameter), Int32(DW_TAG_variable), Int32(DW_TAG_member),
                Int32(DW_TAG_enumerator), Int32(DW_TAG_base_type), Int32(DW_TAG_pointer_type),
                Int32(DW_TAG_typedef), Int32(DW_TAG_const_type), Int32(DW_TAG_volatile_type),
                Int32(DW_TAG_call_site), Int32(DW_TAG_GNU_call_site), Int32(DW_TAG_label):
                continue  // never contain functions
            default:
                break
            }
            if dwarf_haschildren(&die) > 0, dwarf_child(&die, &child) == 0 { pending.append((child, inner)) }
        }
        // Among ranges with the same start, the first DIE ends up last, where `find` looks first: like
        // dwarf_getscopes, the first DIE in unit order wins (assemblers emit one subprogram per alias).
        let order: (RangeEntry, RangeEntry) -> Bool = { ($0.low, $1.node) < ($1.low, $0.node) }
        roots.sort(by: order)
        for index in nodes.indices {
            nodes[index].children.sort(by: order)
        }
    }

    /// The node indices whose code contains DWARF address `address`, innermost first; empty when no function of
    /// this unit does.
    func chain(at address: Dwarf_Addr) -> [Int] {
        guard var node = Self.find(address, in: roots) else { return [] }
        var chain = [node]
        while let inner = Self.find(address, in: nodes[node].children) {
            chain.append(inner)
            node = inner
        }
        return chain.reversed()
    }

    private mutating func addNode(_ node: Node, ranges: [Range<Dwarf_Addr>], parent: Int?) -> Int {
        let index = nodes.count
        nodes.append(node)
        for range in ranges {
            let entry = RangeEntry(low: range.lowerBound, high: range.upperBound, node: index)
            if let parent {
                nodes[parent].children.append(entry)
            } else {
                roots.append(entry)
            }
        }
        return index
    }

    /// The entry containing `address` in `entries` (sorted by start); a few entries before the nearest one are
    /// also tried, for ranges enclosing others.
    private static func find(_ address: Dwarf_Addr, in entries: [RangeEntry]) -> Int? {
        let low = entries.partitioningIndex { $0.low > address }
        var index = low - 1
        while index >= 0 && low - 1 - index < 8 {
            if address < entries[index].high { return entries[index].node }
            index -= 1
        }
        return nil
    }

    /// The non-empty code ranges of `die` (`DW_AT_low_pc`/`DW_AT_high_pc` or `DW_AT_ranges`), skipping ranges
    /// starting at 0 (linker tombstones for discarded code).
    static func ranges(of die: inout Dwarf_Die) -> [Range<Dwarf_Addr>] {
        var ranges: [Range<Dwarf_Addr>] = []
        var offset = 0
        var base: Dwarf_Addr = 0
        var low: Dwarf_Addr = 0
        var high: Dwarf_Addr = 0
        repeat {
            offset = dwarf_ranges(&die, offset, &base, &low, &high)
            if offset > 0, low != 0, low < high { ranges.append(low..<high) }
        } while offset > 0
        return ranges
    }
}
