import Logging
import Symbolizer
import Testing

/// Without DWARF the ELF symbol still names the frame; without a symbol the answer is `.noSymbol`.
@Suite struct ELFSymbolizerStrippedTests {
    @Test func strippedDebugInfoKeepsSymtabNames() throws {
        let fixtures = try Fixtures.get()
        let binary = fixtures.inlineStrippedDebug
        let elf = try ELFFile(path: binary)
        let outer = try #require(try ELFFile.symbol("outer", in: binary))
        let offset = try #require(elf.fileOffset(ofELFAddress: outer.value + outer.size / 2))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let frames = symbolizer.symbolize(path: binary, offset: FileOffset(offset)).frames
        #expect(
            frames == [SymbolizedFrame(function: "outer", systemName: "outer", file: nil, line: nil, isInlined: false)])

        let info = try symbolizer.binaryInfo(path: binary).get()
        #expect(info.hasSymbols)
        #expect(!info.hasDebugInfo)
        #expect(!info.hasInlineInfo)
    }

    @Test func fullyStrippedExecutableHasNoSymbolForOuter() throws {
        let fixtures = try Fixtures.get()
        // Same layout as the unstripped PIE: take the address from there.
        let elf = try ELFFile(path: fixtures.inlinePIE)
        let outer = try #require(try ELFFile.symbol("outer", in: fixtures.inlinePIE))
        let offset = try #require(elf.fileOffset(ofELFAddress: outer.value + 4))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        #expect(symbolizer.symbolize(path: fixtures.inlineStripped, offset: FileOffset(offset)) == .unknown(.noSymbol))
        let info = try symbolizer.binaryInfo(path: fixtures.inlineStripped).get()
        #expect(!info.hasDebugInfo)
        #expect(info.buildID != nil)
    }

    @Test func fullyStrippedLibraryUsesDynsym() throws {
        let fixtures = try Fixtures.get()
        let binary = fixtures.libraryStripped
        let elf = try ELFFile(path: binary)
        let exported = try #require(try ELFFile.symbol("fixture_exported", in: binary, dynamic: true))
        let offset = try #require(elf.fileOffset(ofELFAddress: exported.value + 2))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let frames = symbolizer.symbolize(path: binary, offset: FileOffset(offset)).frames
        #expect(frames.map(\.function) == ["fixture_exported"])
        #expect(frames.first?.file == nil)
        #expect(try symbolizer.binaryInfo(path: binary).get().hasSymbols)
    }

    @Test func offsetOutsideLoadSegmentsIsReported() throws {
        let fixtures = try Fixtures.get()
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let result = symbolizer.symbolize(path: fixtures.inlinePIE, offset: FileOffset(1 << 40))
        #expect(result == .unknown(.offsetNotInLoadSegment))
    }
}
