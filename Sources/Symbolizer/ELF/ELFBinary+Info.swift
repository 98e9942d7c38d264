internal import CLibdw

extension ELFBinary {
    /// The file's `NT_GNU_BUILD_ID`, or nil when it has none.
    var buildID: BuildID? {
        var bits: UnsafePointer<UInt8>?
        var noteAddress: GElf_Addr = 0
        let length = dwfl_module_build_id(module, &bits, &noteAddress)
        guard length > 0, let bits else { return nil }
        return BuildID(bytes: Array(UnsafeBufferPointer(start: bits, count: Int(length))))
    }

    /// Whether the symbol table libdw uses (`.symtab` of the file or its debug file, else `.dynsym`) defines at
    /// least one function in an executable segment.
    var hasFunctionSymbols: Bool { !symbolTable.isEmpty }

    /// Whether DWARF was found, loading it (and searching for a separate debug file) on first call.
    var hasDebugInfo: Bool { dwarf != nil }

    /// Whether the DWARF contains at least one `DW_TAG_inlined_subroutine`.
    ///
    /// Walks every DIE until the first one is found: cheap for optimized code (an early unit inlines something),
    /// a full pass over the DWARF for unoptimized code. Callers cache it.
    var hasInlinedSubroutines: Bool {
        guard let dwarf = dwarf?.pointer else { return false }
        var unit: OpaquePointer?
        var next: OpaquePointer?
        var version: Dwarf_Half = 0
        var unitType: UInt8 = 0
        var unitDIE = Dwarf_Die()
        while dwarf_get_units(dwarf, unit, &next, &version, &unitType, &unitDIE, nil) == 0 {
            unit = next
            if Self.containsInlinedSubroutine(under: unitDIE) { return true }
        }
        return false
    }

    /// Depth-first search of the DIEs below `root` for an inlined subroutine; iterative, so deep trees are safe.
    private static func containsInlinedSubroutine(under root: Dwarf_Die) -> Bool {
        var root = root
        var pending: [Dwarf_Die] = []
        var child = Dwarf_Die()
        if dwarf_child(&root, &child) == 0 { pending.append(child) }
        while var die = pending.popLast() {
            if dwarf_tag(&die) == Int32(DW_TAG_inlined_subroutine) { return true }
            var sibling = Dwarf_Die()
            if dwarf_siblingof(&die, &sibling) == 0 { pending.append(sibling) }
            if dwarf_haschildren(&die) > 0, dwarf_child(&die, &child) == 0 { pending.append(child) }
        }
        return false
    }
}
