/// Parses `/proc/kallsyms` one line at a time into a compact table of text symbols and the core text markers.
///
/// Lines may come in any chunking (see ``LineChunkReader``); the parser copies what it keeps, so its memory is the
/// table itself (about 45 bytes per symbol) plus one rank byte per symbol until ``finish()``. Aliases listed on
/// consecutive lines are resolved as they arrive; symbols out of address order (module symbols are listed in
/// their ELF symbol table's order) are sorted by ``finish()``.
struct KallsymsParser {
    /// Text symbols in parallel arrays, one per address, ascending by address once finished.
    struct Table {
        var addresses: [UInt64] = []
        /// Where each symbol's name starts in `names`; every name ends at the next `\n`.
        var nameOffsets: [UInt32] = []
        /// The kept names, each followed by `\n` (which no name contains: it ends a line).
        var names: [UInt8] = []
        /// 0 for the core kernel, else one more than the index of the symbol's module in `moduleNames`.
        var moduleIndices: [UInt16] = []
        /// Each distinct module name once, without brackets.
        var moduleNames: [String] = []
        /// `_stext` (or `_text` when `_stext` is absent).
        var textStart: UInt64?
        /// `_etext`.
        var textEnd: UInt64?
        /// Whether text symbols were seen with address zero (skipped).
        var sawZeroAddresses = false
    }

    private var table = Table()
    /// Preference among symbols at one address, lower first; parallel to the table's arrays.
    private var ranks: [UInt8] = []
    private var isSorted = true
    private var textSymbol: UInt64?
    private var moduleIndexByName: [String: UInt16] = [:]
    /// The module of the previous module line, which is usually the module of the next one too.
    private var lastModule: (name: [UInt8], index: UInt16)?

    /// Parses `bytes` as whole kallsyms text.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Table {
        var parser = KallsymsParser()
        let consumed = LineChunkReader.forEachCompleteLine(in: bytes) { parser.consume(line: $0) }
        if consumed < bytes.count {
            parser.consume(line: UnsafeBufferPointer(rebasing: bytes[consumed...]))
        }
        return parser.finish()
    }

    /// Parses one line, `address type name` or `address type name\t[module]`, without its `\n`.
    ///
    /// Lines of other shapes or types are skipped, as are symbols of a 65 536th distinct module and symbols that
    /// would take the names past 4 GiB.
    mutating func consume(line: UnsafeBufferPointer<UInt8>) {
        // "ffffffff81000000 T _stext" or "ffffffffc0201000 t name\t[module]"
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space),
            firstSpace + 3 < line.count, line[firstSpace + 2] == space,
            let address = UInt64(hex: line[..<firstSpace])
        else { return }
        let type = line[firstSpace + 1]
        let isWeak = type == UInt8(ascii: "w") || type == UInt8(ascii: "W")
        let isLocal = type == UInt8(ascii: "t") || type == UInt8(ascii: "w")
        guard isWeak || type == UInt8(ascii: "t") || type == UInt8(ascii: "T") else { return }
        guard address != 0 else {
            table.sawZeroAddresses = true
            return
        }

        let nameStart = firstSpace + 3
        let tab = line[nameStart...].firstIndex(of: UInt8(ascii: "\t"))
        let name = line[nameStart..<(tab ?? line.count)]
        guard !name.isEmpty else { return }
        var module: UInt16 = 0
        if let tab {
            var moduleName = line[(tab + 1)...]
            if moduleName.first == UInt8(ascii: "[") { moduleName = moduleName.dropFirst() }
            if moduleName.last == UInt8(ascii: "]") { moduleName = moduleName.dropLast() }
            if !moduleName.isEmpty {
                guard let index = moduleIndex(of: moduleName) else { return }
                module = index
            }
        }

        if module == 0, name.first == UInt8(ascii: "_"), name.count <= 6 {
            if name.elementsEqual("_stext".utf8) {
                table.textStart = address
                return
            } else if name.elementsEqual("_text".utf8) {
                textSymbol = address
                return
            } else if name.elementsEqual("_etext".utf8) {
                table.textEnd = address
                return
            }
        }
        let underscores = min(name.prefix { $0 == UInt8(ascii: "_") }.count, 9)
        let rank = UInt8((isWeak ? 100 : 0) + underscores * 10 + (isLocal ? 1 : 0))

        if let last = table.addresses.last {
            if last == address {
                // An alias of the previous symbol: keep the preferred one, the earlier line on a tie.
                let index = table.addresses.count - 1
                guard rank < ranks[index] else { return }
                table.names.removeLast(table.names.count - Int(table.nameOffsets[index]))
                appendName(name)
                table.moduleIndices[index] = module
                ranks[index] = rank
                return
            }
            if address < last { isSorted = false }
        }
        guard table.names.count + name.count < UInt32.max else { return }
        table.addresses.reserveGrowing(1)
        table.nameOffsets.reserveGrowing(1)
        table.moduleIndices.reserveGrowing(1)
        ranks.reserveGrowing(1)
        table.addresses.append(address)
        table.nameOffsets.append(UInt32(table.names.count))
        appendName(name)
        table.moduleIndices.append(module)
        ranks.append(rank)
    }

    /// The table: sorted by address with one symbol per address.
    consuming func finish() -> Table {
        if table.textStart == nil {
            table.textStart = textSymbol
        }
        if !isSorted {
            let order = Self.sortedUniqueOrder(addresses: table.addresses, ranks: ranks)
            ranks = []
            // One array at a time, so only one old copy is alive beside the table.
            table.addresses = order.map { table.addresses[Int($0)] }
            table.nameOffsets = order.map { table.nameOffsets[Int($0)] }
            table.moduleIndices = order.map { table.moduleIndices[Int($0)] }
        }
        return table
    }

    /// Indices into `addresses` ordered by address, then rank, then index, keeping only the first per address.
    private static func sortedUniqueOrder(addresses: [UInt64], ranks: [UInt8]) -> [UInt32] {
        var order = Array(0..<UInt32(addresses.count))
        order.sort { lhs, rhs in
            let (left, right) = (Int(lhs), Int(rhs))
            if addresses[left] != addresses[right] { return addresses[left] < addresses[right] }
            if ranks[left] != ranks[right] { return ranks[left] < ranks[right] }
            return left < right
        }
        var kept = 0
        for position in order.indices {
            let index = Int(order[position])
            if kept > 0, addresses[index] == addresses[Int(order[kept - 1])] { continue }
            order[kept] = order[position]
            kept += 1
        }
        order.removeLast(order.count - kept)
        return order
    }

    private mutating func appendName(_ name: Slice<UnsafeBufferPointer<UInt8>>) {
        table.names.reserveGrowing(name.count + 1)
        table.names.append(contentsOf: name)
        table.names.append(UInt8(ascii: "\n"))
    }

    /// The table index (from 1) of module `name`, added if new; nil when 65 535 modules are already known.
    private mutating func moduleIndex(of name: Slice<UnsafeBufferPointer<UInt8>>) -> UInt16? {
        if let lastModule, lastModule.name.elementsEqual(name) { return lastModule.index }
        let text = String(decoding: name, as: UTF8.self)
        let index: UInt16
        if let known = moduleIndexByName[text] {
            index = known
        } else {
            guard table.moduleNames.count < Int(UInt16.max) else { return nil }
            table.moduleNames.append(text)
            index = UInt16(table.moduleNames.count)
            moduleIndexByName[text] = index
        }
        lastModule = (Array(name), index)
        return index
    }
}

extension Array {
    /// Makes room for `extra` more elements, growing by a quarter rather than doubling, so a table built by
    /// appending ends with little unused capacity and each reallocation copies little beside it.
    fileprivate mutating func reserveGrowing(_ extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        reserveCapacity(Swift.max(needed, capacity + capacity / 4, 256))
    }
}
