import Logging
import Symbolizer
import Testing

/// Sampled addresses across libc's text agree with `eu-addr2line -i -f`.
///
/// Two known differences are tolerated: eu-addr2line's `-i` output sometimes drops an inlined level that its own
/// first line ("X inlined at … in Y") and the DWARF DIE tree show (the symbolizer reports the full physical chain),
/// and alignment padding between functions, which eu-addr2line gives a line for but no function ("??"), is
/// `.noSymbol` here.
@Suite struct ELFSymbolizerLibcCompareTests {
    @Test func sampledAddressesAgreeWithAddr2Line() throws {
        let libc = ELFSymbolizerLibcTests.libc
        let elf = try ELFFile(path: libc)
        let text = try #require(elf.loadSegments.first { $0.isExecutable })
        let addresses = Array(stride(from: text.virtualAddress, to: text.virtualAddress + text.fileSize, by: 601))
        let oracle = try Addr2Line.frames(binary: libc, addresses: addresses)
        try #require(oracle.count == addresses.count)

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let offsets = try addresses.map { FileOffset(try #require(elf.fileOffset(ofELFAddress: $0))) }
        let results = symbolizer.symbolize(path: libc, offsets: offsets)

        var compared = 0
        var identical = 0
        for (index, expected) in oracle.enumerated() where expected.first?.function != "??" {
            compared += 1
            let actual = results[index].frames.map(\.addr2Line)
            if actual == expected {
                identical += 1
                continue
            }
            let address = "0x" + String(addresses[index], radix: 16)
            #expect(actual.first == expected.first, "\(address): \(actual) vs \(expected)")
            #expect(Self.isSubsequence(expected, of: actual), "\(address): \(actual) vs \(expected)")
        }
        #expect(compared > 1000)
        #expect(Double(identical) >= 0.99 * Double(compared), "\(identical) of \(compared) identical")
    }

    private static func isSubsequence(_ small: [Addr2Line.Frame], of large: [Addr2Line.Frame]) -> Bool {
        var iterator = large.makeIterator()
        return small.allSatisfy { frame in
            while let next = iterator.next() {
                if next.function == frame.function { return true }
            }
            return false
        }
    }
}
