import Logging
import Symbolizer
import Testing

/// C++ and Swift symbols come back demangled, with the mangled name kept as `systemName`.
@Suite struct ELFSymbolizerLanguageTests {
    @Test func cxxFunctionInNamespaceIsDemangled() throws {
        let fixtures = try Fixtures.get()
        let binary = fixtures.cxx
        let elf = try ELFFile(path: binary)
        let hot = try #require(try ELFFile.symbol("_ZN2ns3hotEi", in: binary))
        let offset = try #require(elf.fileOffset(ofELFAddress: hot.value + hot.size / 2))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let frames = symbolizer.symbolize(path: binary, offset: FileOffset(offset)).frames
        let frame = try #require(frames.last)
        #expect(frames.count == 1)
        #expect(frame.function == "ns::hot(int)")
        #expect(frame.systemName == "_ZN2ns3hotEi")
        #expect(frame.file?.hasSuffix("/hot.cpp") == true)
        #expect((3...7).contains(frame.line ?? 0))
    }

    @Test func swiftFunctionIsDemangled() throws {
        let fixture = try SwiftFixture.get()
        let elf = try ELFFile(path: fixture.binary)
        let candidates = try ELFFile.symbols(in: fixture.binary) { $0.hasPrefix("$s") && $0.contains("hotLoop") }
        let hotLoop = try #require(candidates.first { $0.name.hasSuffix("F") })
        let offset = try #require(elf.fileOffset(ofELFAddress: hotLoop.value + 8))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let frame = try #require(symbolizer.symbolize(path: fixture.binary, offset: FileOffset(offset)).frames.last)
        #expect(frame.systemName == hotLoop.name)
        #expect(frame.function.hasPrefix("main.hotLoop("))
        #expect(frame.file?.hasSuffix("/main.swift") == true)
        #expect(frame.line != nil)
    }
}
