import Symbolizer
import Testing

/// Kallsyms inputs shaped like a kernel with modules: module symbols out of address order, aliases on lines far
/// apart, files larger than one read chunk, and a line longer than one.
@Suite struct KallsymsSyntheticTests {
    static let bound = KernelSymbols.maximumOpenEndedSymbolSize

    /// `_text` without `_stext`, module symbols out of order, an alias several lines away from its twin, and a last
    /// line without a newline.
    static let outOfOrder = [
        "ffffffff81000000 T _text",
        "ffffffff81000000 t startup_64",
        "ffffffff81000100 T core_next",
        "ffffffff81000200 T _etext",
        "ffffffffc0002000 t __mod_b_local\t[modb]",
        "ffffffffc0001000 t __mod_a_alias\t[moda]",
        "ffffffffc0001000 T mod_a_first\t[moda]",
        "ffffffffc0001800 W mod_a_weak\t[moda]",
        "ffffffffc0002000 W mod_b_weak\t[modb]",
        "ffffffffc0002000 T mod_b_global\t[modb]",
        "ffffffffc0001800 d mod_a_data\t[moda]",
        "ffffffffc0002000 T mod_b_global_later\t[modb]",
    ].joined(separator: "\n")

    @Test func outOfOrderModulesAndScatteredAliases() {
        let symbols = KernelSymbols(kallsymsText: Self.outOfOrder)
        #expect(symbols.count == 5)
        // `_text` stands in for the missing `_stext`.
        #expect(
            symbols.kernelTextRange == ProcessAddress(0xffff_ffff_8100_0000)...ProcessAddress(0xffff_ffff_8100_01ff))
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_80ff_ffff)) == nil)
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_8100_00ff))
                == KernelSymbol(name: "startup_64", module: nil, offset: 0xff))
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_01ff))?.name == "core_next")
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0200)) == nil)
        // Fewer leading underscores wins over the earlier line.
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_c000_1004))
                == KernelSymbol(name: "mod_a_first", module: "moda", offset: 4))
        // A symbol ends where the next one starts, whatever its module.
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_c000_1fff))
                == KernelSymbol(name: "mod_a_weak", module: "moda", offset: 0x7ff))
        // Not weak beats weak, fewer underscores beats local, and the first listed of equals wins.
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_c000_2000))
                == KernelSymbol(name: "mod_b_global", module: "modb", offset: 0))
        // The last symbol covers at most `maximumOpenEndedSymbolSize` bytes.
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_c000_2000 + Self.bound - 1))?.name == "mod_b_global")
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_c000_2000 + Self.bound)) == nil)
    }

    @Test func fileMatchesTextAndReference() throws {
        var generator = KallsymsSeededGenerator(seed: 0x5eed)
        let lines = Self.syntheticKallsyms(using: &generator)
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 4 * 64 * 1024, "spans several read chunks")
        let path = try Shell.makeTemporaryDirectory("kallsyms") + "/kallsyms"
        try Shell.write(text, to: path)

        let fromFile = try KernelSymbols(kallsymsPath: path)
        let fromText = KernelSymbols(kallsymsText: text)
        let reference = ReferenceKallsyms(lines: lines)
        #expect(fromFile.count == reference.starts.count)
        #expect(fromFile.kernelTextRange == reference.textRange)
        var probes: [UInt64] = [0, 1, UInt64.max, reference.starts[0] - 1]
        for start in reference.starts {
            probes += [start, start + 1, start - 1, start + 0x7f, start + Self.bound - 1, start + Self.bound]
        }
        for _ in 0..<2000 {
            probes.append(0xffff_ffff_8000_0000 + generator.next() % 0x8000_0000)
        }
        var mismatches: [String] = []
        for probe in probes {
            let expected = reference.symbolize(probe)
            let file = fromFile.symbolize(ProcessAddress(probe))
            let text = fromText.symbolize(ProcessAddress(probe))
            if file != expected || text != expected {
                mismatches.append(
                    "\(ProcessAddress(probe)): \(String(describing: file)) != \(String(describing: expected))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func lineLongerThanAReadChunk() throws {
        let long = String(repeating: "x", count: 150_000)
        let text = """
            ffffffff81000000 T _stext
            ffffffff81000010 T \(long)
            ffffffff81000020 T after_long
            ffffffff81000100 T _etext
            """
        let path = try Shell.makeTemporaryDirectory("kallsyms") + "/kallsyms"
        try Shell.write(text, to: path)
        let symbols = try KernelSymbols(kallsymsPath: path)
        #expect(symbols.count == 2)
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0011)) == KernelSymbol(name: long, module: nil, offset: 1)
        )
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_00ff))?.name == "after_long")
    }

    /// A sorted core image with aliases, data and the markers, then modules whose symbols are shuffled, with the
    /// modules themselves listed out of address order.
    private static func syntheticKallsyms(using generator: inout KallsymsSeededGenerator) -> [String] {
        let textTypes = ["t", "T", "w", "W"]
        let allTypes = textTypes + ["d", "D", "r", "b"]
        func prefix(_ generator: inout KallsymsSeededGenerator) -> String {
            String(repeating: "_", count: Int(generator.next() % 4))
        }
        var lines = ["ffffffff81000000 T _stext", "ffffffff81000000 T _text"]
        var address: UInt64 = 0xffff_ffff_8100_0000
        for index in 0..<6000 {
            // Several symbols per address now and then, of mixed types.
            for alias in 0..<(generator.next() % 5 == 0 ? 3 : 1) {
                let types = alias == 0 ? allTypes : textTypes
                let type = types[Int(generator.next() % UInt64(types.count))]
                lines.append("\(String(address, radix: 16)) \(type) \(prefix(&generator))core_\(index)_\(alias)")
            }
            address += 16 + generator.next() % 512
        }
        lines.append("\(String(address, radix: 16)) T _etext")
        lines.append("\(String(address + 0x100, radix: 16)) T past_etext")

        var modules: [[String]] = []
        for module in 0..<40 {
            var base: UInt64 = 0xffff_ffff_c000_0000 + UInt64(module) * 0x10_0000
            var symbols: [String] = []
            for index in 0..<(20 + Int(generator.next() % 60)) {
                for alias in 0..<(generator.next() % 6 == 0 ? 2 : 1) {
                    let type = textTypes[Int(generator.next() % 4)]
                    let name = "\(prefix(&generator))mod\(module)_\(index)_\(alias)"
                    symbols.append("\(String(base, radix: 16)) \(type) \(name)\t[mod\(module)]")
                }
                base += 32 + generator.next() % 4096
            }
            symbols.shuffle(using: &generator)
            modules.append(symbols)
        }
        modules.shuffle(using: &generator)
        return lines + modules.flatMap { $0 }
    }
}

/// The documented rules, written plainly: every text symbol, the preferred one per address, then a linear scan.
private struct ReferenceKallsyms {
    struct Entry {
        var address: UInt64
        var name: String
        var module: String?
        var rank: Int
        var line: Int
    }

    var starts: [UInt64] = []
    var chosen: [Entry] = []
    var textRange: ClosedRange<ProcessAddress>?
    private var textEnd: UInt64?

    init(lines: [String]) {
        var entries: [Entry] = []
        var textStart: UInt64?
        var textSymbol: UInt64?
        for (line, text) in lines.enumerated() {
            let fields = text.split(separator: " ", maxSplits: 2)
            let parts = fields[2].split(separator: "\t")
            let name = String(parts[0])
            let module = parts.count > 1 ? String(parts[1].dropFirst().dropLast()) : nil
            let type = fields[1]
            let address = UInt64(fields[0], radix: 16)!
            guard ["t", "T", "w", "W"].contains(type) else { continue }
            switch (name, module) {
            case ("_stext", nil): textStart = address
            case ("_text", nil): textSymbol = address
            case ("_etext", nil): textEnd = address
            default:
                let weak = type == "w" || type == "W"
                let local = type == "t" || type == "w"
                let rank = (weak ? 100 : 0) + min(name.prefix { $0 == "_" }.count, 9) * 10 + (local ? 1 : 0)
                entries.append(Entry(address: address, name: name, module: module, rank: rank, line: line))
            }
        }
        let best = Dictionary(grouping: entries, by: \.address).mapValues {
            $0.min { ($0.rank, $0.line) < ($1.rank, $1.line) }!
        }
        chosen = best.values.sorted { $0.address < $1.address }
        starts = chosen.map(\.address)
        if let start = textStart ?? textSymbol, let textEnd, start < textEnd {
            textRange = ProcessAddress(start)...ProcessAddress(textEnd - 1)
        }
    }

    func symbolize(_ address: UInt64) -> KernelSymbol? {
        // The number of symbols at or below `address`.
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let index = low - 1
        let symbol = chosen[index]
        var end: UInt64
        if symbol.module == nil, let textEnd, symbol.address < textEnd {
            end = textEnd
        } else {
            let (sum, overflow) = symbol.address.addingReportingOverflow(KernelSymbols.maximumOpenEndedSymbolSize)
            end = overflow ? .max : sum
        }
        if index + 1 < chosen.count { end = min(end, chosen[index + 1].address) }
        guard address < end else { return nil }
        return KernelSymbol(name: symbol.name, module: symbol.module, offset: address - symbol.address)
    }
}

/// SplitMix64, so the synthetic input is the same on every run.
private struct KallsymsSeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
