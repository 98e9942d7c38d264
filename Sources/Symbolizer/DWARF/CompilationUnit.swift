internal import CLibdw

/// One DWARF compilation unit of a binary, with what symbolizing its addresses needs, built lazily and kept.
///
/// Holds `Dwarf_Die` values and strings borrowed from the binary's `Dwarf`: must not outlive its ``ELFBinary``.
/// Not thread-safe, like its owner.
final class CompilationUnit {
    private var die: Dwarf_Die
    private let dwarf: OpaquePointer
    private let directory: String?
    private lazy var inlineTree = InlineTree(unit: die)
    private var files: OpaquePointer?
    private var loadedFiles = false
    /// Line table file names (by the address of libdw's string) and call-site file indices, resolved to paths.
    private var lineFiles: [UnsafePointer<CChar>: String] = [:]
    private var callFiles: [Dwarf_Word: String] = [:]
    /// Names of inline tree nodes, resolved on first use; `.some(nil)` when the DIE has no name.
    private var names: [Int: FunctionName?] = [:]

    init(die: Dwarf_Die, dwarf: OpaquePointer) {
        self.die = die
        self.dwarf = dwarf
        directory = CLibdw_stringAttribute(&self.die, UInt32(DW_AT_comp_dir)).map { String(cString: $0) }
    }

    /// The line table's file and line for DWARF address `address`, or nil when the unit's line table has no row
    /// for it.
    func sourceLocation(at address: Dwarf_Addr) -> SourceLocation? {
        guard let line = dwarf_getsrc_die(&die, address), let file = dwarf_linesrc(line, nil, nil) else {
            return nil
        }
        var lineNumber: Int32 = 0
        if dwarf_lineno(line, &lineNumber) != 0 { lineNumber = 0 }
        let path: String
        if let cached = lineFiles[file] {
            path = cached
        } else {
            path = Self.join(directory: directory, file: String(cString: file))
            lineFiles[file] = path
        }
        return SourceLocation(file: path, line: lineNumber > 0 ? Int(lineNumber) : nil)
    }

    /// The functions containing DWARF address `address`, innermost first, each with its names and, for inlined
    /// ones, the call site in the next. Empty when no function of this unit covers the address.
    func functions(at address: Dwarf_Addr) -> [DWARFFunction] {
        let chain = inlineTree.chain(at: address)
        return chain.map { index in
            let node = inlineTree.nodes[index]
            var callSite: SourceLocation?
            if let fileIndex = node.callFile, let file = callFile(fileIndex) {
                callSite = SourceLocation(file: file, line: node.callLine.flatMap { $0 > 0 ? Int($0) : nil })
            }
            return DWARFFunction(name: name(of: index, dieOffset: node.dieOffset), callSite: callSite)
        }
    }

    private func name(of node: Int, dieOffset: Dwarf_Off) -> FunctionName? {
        if let cached = names[node] { return cached }
        var functionDIE = Dwarf_Die()
        let name = dwarf_offdie(dwarf, dieOffset, &functionDIE) != nil ? FunctionName(die: &functionDIE) : nil
        names[node] = .some(name)
        return name
    }

    /// The path of entry `index` of the unit's file table, joined to the compilation directory when relative.
    private func callFile(_ index: Dwarf_Word) -> String? {
        if let cached = callFiles[index] { return cached }
        if !loadedFiles {
            loadedFiles = true
            var count = 0
            if dwarf_getsrcfiles(&die, &files, &count) != 0 { files = nil }
        }
        guard let files, let file = dwarf_filesrc(files, Int(index), nil, nil) else { return nil }
        let path = Self.join(directory: directory, file: String(cString: file))
        callFiles[index] = path
        return path
    }

    /// `file` if absolute, else `directory/file` (as eu-addr2line shows it), else `file`.
    static func join(directory: String?, file: String) -> String {
        guard !file.hasPrefix("/"), let directory, !directory.isEmpty else { return file }
        return directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
