internal import CLibdw

extension ELFBinary {
    /// The frames at `offset`, innermost first.
    ///
    /// The ELF symbol (`.symtab`, else `.dynsym`, from the file or its debug file) names the outermost frame's
    /// ``SymbolizedFrame/systemName``; DWARF, when present, names every frame and gives the inline chain:
    /// the innermost frame's file:line is the line table's for the address, and each enclosing frame's is the
    /// `DW_AT_call_file`/`DW_AT_call_line` of the inlined call it contains — what `eu-addr2line -i -f` prints.
    /// Without DWARF there is one frame, named by the symbol.
    func symbolize(offset: FileOffset) -> Symbolization {
        guard let address = moduleAddress(of: offset) else { return .unknown(.offsetNotInLoadSegment) }
        let symbol = symbolTable.symbol(containing: address).map { symbolName(at: $0.index) }
        var location: SourceLocation?
        var functions: [DWARFFunction] = []
        if let dwarf, let unit = compilationUnit(at: address &- dwarf.bias) {
            location = unit.sourceLocation(at: address &- dwarf.bias)
            functions = unit.functions(at: address &- dwarf.bias)
        }

        // Without usable DWARF functions (no DWARF, assembly units, unnamed DIEs) the symbol alone names the frame.
        guard !functions.isEmpty, let names = Self.names(of: functions, symbol: symbol) else {
            guard let symbol else { return .unknown(.noSymbol) }
            return .frames([
                SymbolizedFrame(
                    function: symbol.function, systemName: symbol.systemName, file: location?.file,
                    line: location?.line, isInlined: false)
            ])
        }

        var frames: [SymbolizedFrame] = []
        frames.reserveCapacity(functions.count)
        for index in functions.indices {
            let place = index == 0 ? location : functions[index - 1].callSite
            frames.append(
                SymbolizedFrame(
                    function: names[index].function, systemName: names[index].systemName, file: place?.file,
                    line: place?.line, isInlined: index != functions.count - 1))
        }
        return .frames(frames)
    }

    /// The (function, systemName) of each DWARF function; the outermost's system name is the ELF symbol when
    /// there is one. Nil when any function has no name at all, so nothing is made up.
    private static func names(of functions: [DWARFFunction], symbol: FunctionName?) -> [FunctionName]? {
        var names: [FunctionName] = []
        names.reserveCapacity(functions.count)
        for (index, function) in functions.enumerated() {
            let isOutermost = index == functions.count - 1
            if isOutermost, let symbol {
                names.append(
                    FunctionName(
                        function: function.name?.function ?? symbol.function, systemName: symbol.systemName))
            } else if let name = function.name {
                names.append(name)
            } else {
                return nil
            }
        }
        return names
    }

    /// The name of the symbol at `index` of ``symbolTable``, and its demangled form; cached.
    private func symbolName(at index: Int) -> FunctionName {
        if let cached = symbolNames[index] { return cached }
        let systemName = symbolTable.name(at: index)
        let name = FunctionName(function: Demangler.demangle(systemName), systemName: systemName)
        symbolNames[index] = name
        return name
    }

    /// The compilation unit whose ranges contain DWARF address `address`, or nil.
    private func compilationUnit(at address: Dwarf_Addr) -> CompilationUnit? {
        guard let dwarf, let offset = unitIndex?.unitOffset(containing: address) else { return nil }
        if let unit = units[offset] { return unit }
        var die = Dwarf_Die()
        guard dwarf_offdie(dwarf.pointer, offset, &die) != nil else { return nil }
        let tag = dwarf_tag(&die)
        guard tag == Int32(DW_TAG_compile_unit) || tag == Int32(DW_TAG_partial_unit) else { return nil }
        let unit = CompilationUnit(die: die, dwarf: dwarf.pointer)
        units[offset] = unit
        return unit
    }
}
