internal import CLibdw

/// The code symbols of one module, sorted by address for O(log n) lookup.
///
/// Built once from the symbol table libdw selected for the module (`.symtab` of the file, else of its separate
/// debug file, else `.dynsym`), because `dwfl_module_addrinfo` scans every symbol on each call.
/// Names are borrowed C strings owned by the module's ELF data: a table must not outlive its ``ELFBinary``.
struct SymbolTable {
    private struct Entry {
        var address: UInt64
        var size: UInt64
        var name: UnsafePointer<CChar>
    }

    /// Sorted by address, one per address.
    private let entries: [Entry]
    /// End of the executable segment containing each entry: a bound for sizeless symbols.
    private let segmentEnds: [UInt64]

    /// Whether the table has no code symbol at all.
    var isEmpty: Bool { entries.isEmpty }

    /// Reads every defined, named `STT_FUNC`, `STT_GNU_IFUNC` or `STT_NOTYPE` symbol (ARM/AArch64 mapping symbols
    /// such as `$x` and `$d` excluded). Among symbols at one address the chosen name is: global before weak before
    /// local, then sized before sizeless, then first in the table.
    ///
    /// - Parameter executableRanges: module address ranges of executable `PT_LOAD` segments; symbols outside
    ///   them are not code and are dropped.
    init(module: OpaquePointer, executableRanges: [Range<UInt64>]) {
        struct Candidate {
            var entry: Entry
            var rank: Int
            var order: Int
        }
        var candidates: [Candidate] = []
        let count = dwfl_module_getsymtab(module)
        if count > 1 {
            candidates.reserveCapacity(Int(count))
            for index in 1..<count {
                var symbol = GElf_Sym()
                var address: GElf_Addr = 0
                var section: GElf_Word = 0
                guard let name = dwfl_module_getsym_info(module, index, &symbol, &address, &section, nil, nil),
                    name.pointee != 0, symbol.st_shndx != UInt16(SHN_UNDEF), section != GElf_Word(bitPattern: -1),
                    Self.isCode(type: Int32(symbol.st_info & 0xf)), !Self.isMappingSymbol(name),
                    executableRanges.contains(where: { $0.contains(address) })
                else { continue }
                let binding = Int32(symbol.st_info >> 4)
                let bindingRank = binding == STB_GLOBAL ? 0 : binding == STB_WEAK ? 2 : 4
                candidates.append(
                    Candidate(
                        entry: Entry(address: address, size: symbol.st_size, name: name),
                        rank: bindingRank + (symbol.st_size == 0 ? 1 : 0), order: Int(index)))
            }
        }
        candidates.sort {
            ($0.entry.address, $0.rank, $0.order) < ($1.entry.address, $1.rank, $1.order)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(candidates.count)
        for candidate in candidates where entries.last?.address != candidate.entry.address {
            entries.append(candidate.entry)
        }
        self.entries = entries
        self.segmentEnds = entries.map { entry in
            executableRanges.first(where: { $0.contains(entry.address) })?.upperBound ?? entry.address
        }
    }

    /// The name of the symbol at `index` (from ``symbol(containing:)``).
    func name(at index: Int) -> String {
        String(cString: entries[index].name)
    }

    /// The index of the symbol covering module address `address` and the offset into it, or nil.
    ///
    /// A sized symbol covers `[value, value + size)`. A sizeless one covers up to the next symbol or the end of its
    /// segment. When the nearest symbol below does not cover the address, a few earlier ones are tried, for
    /// symbols nested in larger ones.
    func symbol(containing address: UInt64) -> (index: Int, offset: UInt64)? {
        let low = entries.partitioningIndex { $0.address > address }
        guard low > 0 else { return nil }
        let nearest = low - 1
        var index = nearest
        while index >= 0 && nearest - index < 16 {
            let entry = entries[index]
            let end: UInt64
            if entry.size > 0 {
                end = entry.address &+ entry.size
            } else if index == nearest {
                end =
                    index + 1 < entries.count ? min(entries[index + 1].address, segmentEnds[index]) : segmentEnds[index]
            } else {
                end = entry.address  // a sizeless symbol below another symbol cannot cover the address
            }
            if address < end { return (index, address - entry.address) }
            index -= 1
        }
        return nil
    }

    private static func isCode(type: Int32) -> Bool {
        type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_NOTYPE
    }

    /// `$a`, `$d`, `$t`, `$x`, optionally followed by `.suffix`: ARM ELF mapping symbols, not functions.
    private static func isMappingSymbol(_ name: UnsafePointer<CChar>) -> Bool {
        guard name[0] == CChar(UInt8(ascii: "$")) else { return false }
        switch UInt8(bitPattern: name[1]) {
        case UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "t"), UInt8(ascii: "x"):
            return name[2] == 0 || name[2] == CChar(UInt8(ascii: "."))
        default:
            return false
        }
    }
}
