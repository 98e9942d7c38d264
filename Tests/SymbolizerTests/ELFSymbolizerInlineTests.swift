import Logging
import Symbolizer
import Testing

/// The inline chain matches `eu-addr2line -i -f` at every address of a function with two levels of inlining.
@Suite struct ELFSymbolizerInlineTests {
    @Test(arguments: [false, true])
    func inlineChainMatchesAddr2Line(noPIE: Bool) throws {
        let fixtures = try Fixtures.get()
        let binary = noPIE ? fixtures.inlineNoPIE : fixtures.inlinePIE
        let elf = try ELFFile(path: binary)
        let outer = try #require(try ELFFile.symbol("outer", in: binary))
        let addresses = Array(outer.value..<(outer.value + outer.size))
        let expected = try Addr2Line.frames(binary: binary, addresses: addresses)
        try #require(expected.count == addresses.count)

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let offsets = try addresses.map { FileOffset(try #require(elf.fileOffset(ofELFAddress: $0))) }
        let results = symbolizer.symbolize(path: binary, offsets: offsets)

        var deepest = 0
        for (index, result) in results.enumerated() {
            let oracle = expected[index]
            guard let outermost = oracle.last, outermost.function != "??" else { continue }
            let frames = result.frames
            #expect(frames.map(\.addr2Line) == oracle, "address 0x\(String(addresses[index], radix: 16))")
            #expect(frames.map(\.isInlined) == Array(repeating: true, count: max(0, frames.count - 1)) + [false])
            #expect(frames.last?.systemName == "outer")
            deepest = max(deepest, frames.count)
        }
        // inner inlined into middle inlined into outer.
        #expect(deepest == 3)
    }

    @Test func innermostFrameIsTheInlinedFunction() throws {
        let fixtures = try Fixtures.get()
        let elf = try ELFFile(path: fixtures.inlinePIE)
        let outer = try #require(try ELFFile.symbol("outer", in: fixtures.inlinePIE))
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let results = (outer.value..<(outer.value + outer.size)).map { address in
            symbolizer.symbolize(
                path: fixtures.inlinePIE, offset: FileOffset(elf.fileOffset(ofELFAddress: address) ?? 0))
        }
        let chain = try #require(results.map(\.frames).first { $0.count == 3 })
        #expect(chain.map(\.function) == ["inner", "middle", "outer"])
        #expect(chain.map(\.isInlined) == [true, true, false])
        #expect(chain.allSatisfy { $0.file?.hasSuffix("/inline.c") == true && $0.line != nil })
        // inner's body is lines 3-8, middle calls it on line 11 or 12, outer calls middle on line 16.
        #expect((3...8).contains(chain[0].line ?? 0))
        #expect([11, 12].contains(chain[1].line ?? 0))
        #expect(chain[2].line == 16)
    }
}

/// clang and swiftc emit no `.debug_aranges`, which libdw 0.188 needs to find a unit; the symbolizer's own unit
/// index must find it anyway.
@Suite struct ELFSymbolizerNoArangesTests {
    @Test func clangBinaryWithoutArangesGetsTheInlineChain() throws {
        let fixtures = try Fixtures.get()
        let binary = fixtures.inlineClang
        let sections = try Shell.run(["eu-readelf", "-S", binary])
        #expect(!sections.contains(".debug_aranges"))
        #expect(sections.contains(".debug_info"))

        let elf = try ELFFile(path: binary)
        let outer = try #require(try ELFFile.symbol("outer", in: binary))
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let offsets = try (outer.value..<(outer.value + outer.size)).map {
            FileOffset(try #require(elf.fileOffset(ofELFAddress: $0)))
        }
        let chains = symbolizer.symbolize(path: binary, offsets: offsets).map(\.frames)
        #expect(chains.allSatisfy { $0.last?.function == "outer" && $0.last?.isInlined == false })
        #expect(chains.allSatisfy { $0.allSatisfy { $0.file?.hasSuffix("/inline.c") == true } })
        let deepest = try #require(chains.first { $0.count == 3 })
        #expect(deepest.map(\.function) == ["inner", "middle", "outer"])
        #expect(deepest[2].line == 16)
    }
}
