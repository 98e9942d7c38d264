/// Kernel text symbols from `/proc/kallsyms`, core kernel and modules, for address lookup.
///
/// Only text symbols (types `t`, `T`, `w`, `W`) are kept. When several share an address (aliases such as
/// `__x64_sys_getpid` and `__ia32_sys_getpid`), one is chosen, preferring in order: not weak, fewer leading
/// underscores, global, first listed. `_text`, `_stext` and `_etext` are markers, never results.
///
/// A value is an immutable snapshot: modules loaded afterwards are not seen. Lookups are O(log n).
public struct KernelSymbols: Sendable {
    /// Sorted by address, one per address.
    let addresses: [UInt64]
    let names: [String]
    /// Module of each symbol; nil for the core kernel.
    let modules: [String?]
    /// Exclusive end of each symbol: the next symbol of the same image, capped by `_etext` for core text and by
    /// ``maximumOpenEndedSymbolSize`` for the last symbol of an image.
    let ends: [UInt64]

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
        let parsed = KallsymsParser.parse(try FileReader.readAll(path: kallsymsPath, purpose: "kernel symbols"))
        if parsed.symbols.isEmpty && parsed.sawZeroAddresses {
            throw SymbolizerError(
                code: .kernelAddressesHidden,
                message: "every address in \(kallsymsPath) is zero: kernel addresses are hidden from this user; "
                    + "run as root or set sysctl kernel.kptr_restrict=0")
        }
        self.init(parsed: parsed)
    }

    /// Parses kallsyms text (`address type name [\t[module]]` per line). Malformed lines are skipped; all-zero
    /// addresses (hidden by `kptr_restrict`) give an empty table.
    public init(kallsymsText: String) {
        self.init(parsed: KallsymsParser.parse(Array(kallsymsText.utf8)))
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
        guard value < ends[index] else { return nil }
        return KernelSymbol(name: names[index], module: modules[index], offset: value - addresses[index])
    }

    private init(parsed: KallsymsParser.Result) {
        var symbols = parsed.symbols
        // Stable: equal addresses keep their preference order, best first.
        symbols.sort { lhs, rhs in
            if lhs.address != rhs.address { return lhs.address < rhs.address }
            if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
            return lhs.order < rhs.order
        }
        var addresses: [UInt64] = []
        var names: [String] = []
        var modules: [String?] = []
        addresses.reserveCapacity(symbols.count)
        names.reserveCapacity(symbols.count)
        modules.reserveCapacity(symbols.count)
        for symbol in symbols where addresses.last != symbol.address {
            addresses.append(symbol.address)
            names.append(symbol.name)
            modules.append(symbol.module)
        }

        let textEnd = parsed.textEnd
        var ends: [UInt64] = []
        ends.reserveCapacity(addresses.count)
        for index in addresses.indices {
            let address = addresses[index]
            let openEnded = address &+ Self.maximumOpenEndedSymbolSize
            var limit: UInt64
            if modules[index] == nil, let textEnd, address < textEnd {
                limit = textEnd
            } else {
                limit = openEnded < address ? UInt64.max : openEnded
            }
            if index + 1 < addresses.count {
                limit = min(limit, addresses[index + 1])
            }
            ends.append(limit)
        }

        self.addresses = addresses
        self.names = names
        self.modules = modules
        self.ends = ends
        if let start = parsed.textStart, let end = textEnd, start < end {
            kernelTextRange = ProcessAddress(start)...ProcessAddress(end - 1)
        } else {
            kernelTextRange = nil
        }
    }
}
