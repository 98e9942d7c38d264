/// Kernel text symbols from `/proc/kallsyms`, core kernel and modules, for address lookup.
///
/// Only text symbols (types `t`, `T`, `w`, `W`) are kept. When several share an address (aliases such as
/// `__x64_sys_getpid` and `__ia32_sys_getpid`), one is chosen, preferring in order: not weak, fewer leading
/// underscores, global, first listed. `_text`, `_stext` and `_etext` are markers, never results.
///
/// A value is an immutable snapshot: modules loaded afterwards are not seen. Lookups are O(log n).
///
/// Memory: about 45 bytes per symbol (5.5 MB for a kernel's 120 000), in a few flat arrays: names in one byte
/// buffer, modules as a 16-bit index into a table of names, no ends (they are worked out at lookup). The file is
/// read in 64 KiB chunks, so loading needs little more than the table. Strings are made only for returned symbols.
public struct KernelSymbols: Sendable {
    /// Sorted by address, one per address.
    let addresses: [UInt64]
    /// Where each symbol's name starts in `names`; a name ends at the next `\n`.
    let nameOffsets: [UInt32]
    /// Every kept name, each followed by `\n`.
    let names: [UInt8]
    /// 0 for the core kernel, else one more than the index of the symbol's module in `moduleNames`.
    let moduleIndices: [UInt16]
    let moduleNames: [String]
    /// `_etext`: core text symbols below it end at it at the latest.
    let textEnd: UInt64?

    /// `[_stext, _etext)` of the core kernel image, when kallsyms lists both.
    public let kernelTextRange: ClosedRange<ProcessAddress>?

    /// How far past the last symbol of a module (or of core text beyond `_etext`) an address may lie and still
    /// belong to it. kallsyms has no sizes; past this an address is reported as unknown rather than guessed.
    public static let maximumOpenEndedSymbolSize: UInt64 = 64 * 1024

    /// Reads and parses `kallsymsPath`.
    ///
    /// - Throws: ``SymbolizerError/Code/fileUnreadable``, or ``SymbolizerError/Code/kernelAddressesHidden`` when
    ///   every address reads as zero (`kernel.kptr_restrict` hides them: run as root or set it to 0).
    public init(kallsymsPath: String = "/proc/kallsyms") throws(SymbolizerError) {
        var parser = KallsymsParser()
        try LineChunkReader.forEachLine(path: kallsymsPath, purpose: "kernel symbols") { parser.consume(line: $0) }
        let table = parser.finish()
        if table.addresses.isEmpty && table.sawZeroAddresses {
            throw SymbolizerError(
                code: .kernelAddressesHidden,
                message: "every address in \(kallsymsPath) is zero: kernel addresses are hidden from this user; "
                    + "run as root or set sysctl kernel.kptr_restrict=0")
        }
        self.init(table: table)
    }

    /// Parses kallsyms text (`address type name [\t[module]]` per line). Malformed lines are skipped; all-zero
    /// addresses (hidden by `kptr_restrict`) give an empty table.
    public init(kallsymsText: String) {
        var text = kallsymsText
        self.init(table: text.withUTF8 { KallsymsParser.parse($0) })
    }

    private init(table: KallsymsParser.Table) {
        addresses = table.addresses
        nameOffsets = table.nameOffsets
        names = table.names
        moduleIndices = table.moduleIndices
        moduleNames = table.moduleNames
        textEnd = table.textEnd
        if let start = table.textStart, let end = table.textEnd, start < end {
            kernelTextRange = ProcessAddress(start)...ProcessAddress(end - 1)
        } else {
            kernelTextRange = nil
        }
    }

    /// The number of distinct text symbol addresses.
    public var count: Int { addresses.count }

    /// The symbol whose range covers `address`: the nearest text symbol at or below it, as long as `address` is
    /// before that symbol's end (see ``maximumOpenEndedSymbolSize``); nil below the first symbol, past `_etext`
    /// in core text, or past the bound after the last symbol of a module.
    public func symbolize(_ address: ProcessAddress) -> KernelSymbol? {
        let value = address.rawValue
        var low = 0
        var high = addresses.count
        while low < high {
            let middle = low + (high - low) / 2
            if addresses[middle] <= value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0 else { return nil }
        let index = low - 1
        guard value < end(ofSymbolAt: index) else { return nil }
        return KernelSymbol(
            name: name(ofSymbolAt: index), module: module(ofSymbolAt: index), offset: value - addresses[index])
    }

    /// Exclusive end of symbol `index`: the next symbol's address, capped by `_etext` for core text below it and
    /// otherwise by ``maximumOpenEndedSymbolSize`` past the symbol's start.
    private func end(ofSymbolAt index: Int) -> UInt64 {
        let address = addresses[index]
        var limit: UInt64
        if moduleIndices[index] == 0, let textEnd, address < textEnd {
            limit = textEnd
        } else {
            let openEnded = address &+ Self.maximumOpenEndedSymbolSize
            limit = openEnded < address ? UInt64.max : openEnded
        }
        if index + 1 < addresses.count {
            limit = min(limit, addresses[index + 1])
        }
        return limit
    }

    private func name(ofSymbolAt index: Int) -> String {
        names.withUnsafeBufferPointer { names in
            let name = names[Int(nameOffsets[index])...]
            let end = name.firstIndex(of: UInt8(ascii: "\n")) ?? name.endIndex
            return String(decoding: name[..<end], as: UTF8.self)
        }
    }

    private func module(ofSymbolAt index: Int) -> String? {
        let module = Int(moduleIndices[index])
        return module == 0 ? nil : moduleNames[module - 1]
    }
}
