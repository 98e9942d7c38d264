internal import CLibdw

/// Address ranges of every compilation unit of one `Dwarf`, for finding the unit of an address in O(log n).
///
/// Built from both the units' own ranges and `.debug_aranges`. libdw 0.188 finds units only through
/// `.debug_aranges`, which clang and swiftc do not emit by default (gcc does), and `dwfl_module_addrdie` walks
/// DIEs on every call; this index avoids both problems.
struct DWARFUnitIndex {
    private struct Entry {
        var low: Dwarf_Addr
        var high: Dwarf_Addr
        var unitOffset: Dwarf_Off
    }

    /// Sorted by `low`.
    private let entries: [Entry]

    /// Reads the ranges (`DW_AT_low_pc`/`DW_AT_high_pc` or `DW_AT_ranges`) of every compile and partial unit,
    /// and `.debug_aranges` when present. Empty ranges, and ranges starting at 0 (linker tombstones for discarded
    /// code), are skipped.
    init(dwarf: OpaquePointer) {
        var entries: [Entry] = []
        var unit: OpaquePointer?
        var next: OpaquePointer?
        var version: Dwarf_Half = 0
        var unitType: UInt8 = 0
        var unitDIE = Dwarf_Die()
        while dwarf_get_units(dwarf, unit, &next, &version, &unitType, &unitDIE, nil) == 0 {
            unit = next
            guard unitType == UInt8(DW_UT_compile) || unitType == UInt8(DW_UT_partial) else { continue }
            let unitOffset = dwarf_dieoffset(&unitDIE)
            for range in InlineTree.ranges(of: &unitDIE) {
                entries.append(Entry(low: range.lowerBound, high: range.upperBound, unitOffset: unitOffset))
            }
        }
        var aranges: OpaquePointer?
        var arangeCount = 0
        if dwarf_getaranges(dwarf, &aranges, &arangeCount) == 0, let aranges {
            for index in 0..<arangeCount {
                var start: Dwarf_Addr = 0
                var length: Dwarf_Word = 0
                var unitOffset: Dwarf_Off = 0
                guard let arange = dwarf_onearange(aranges, index),
                    dwarf_getarangeinfo(arange, &start, &length, &unitOffset) == 0, start != 0, length > 0
                else { continue }
                entries.append(Entry(low: start, high: start &+ length, unitOffset: unitOffset))
            }
        }
        entries.sort { $0.low < $1.low }
        self.entries = entries
    }

    /// The offset of the unit DIE whose ranges contain DWARF address `address`, or nil.
    func unitOffset(containing address: Dwarf_Addr) -> Dwarf_Off? {
        let low = entries.partitioningIndex { $0.low > address }
        // Ranges of different units rarely overlap; look back a few in case a long one encloses a short one.
        var index = low - 1
        while index >= 0 && index >= low - 8 {
            if address < entries[index].high { return entries[index].unitOffset }
            index -= 1
        }
        return nil
    }
}
