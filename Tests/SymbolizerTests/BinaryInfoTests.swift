import Logging
import Symbolizer
import Testing

@Suite struct BinaryInfoTests {
    @Test(arguments: ["inline-pie", "inline-nopie", "inline-strip", "hot-cxx"])
    func buildIDMatchesReadelf(name: String) throws {
        let fixtures = try Fixtures.get()
        let path = fixtures.directory + "/" + name
        let notes = try Shell.run(["eu-readelf", "-n", path])
        let line = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") })
        let expected = try #require(line.split(separator: " ").last.map(String.init))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let info = try symbolizer.binaryInfo(path: path).get()
        #expect(info.buildID?.hex == expected)
        #expect(info.buildID == BuildID(hex: expected))
    }

    @Test func optimizedDebugBuildHasInlineInfo() throws {
        let fixtures = try Fixtures.get()
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let info = try symbolizer.binaryInfo(path: fixtures.inlinePIE).get()
        #expect(info.hasSymbols && info.hasDebugInfo && info.hasInlineInfo)
        // Cached: same answer again.
        #expect(try symbolizer.binaryInfo(path: fixtures.inlinePIE).get() == info)
    }

    @Test func unoptimizedBuildHasNoInlineInfo() throws {
        let fixtures = try Fixtures.get()
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let info = try symbolizer.binaryInfo(path: fixtures.cxx).get()
        #expect(info.hasDebugInfo)
        #expect(!info.hasInlineInfo)
    }

    @Test func buildIDHexRoundTrips() {
        let id = BuildID(bytes: [0x00, 0x0f, 0xa0, 0xff])
        #expect(id.hex == "000fa0ff")
        #expect(id.description == "000fa0ff")
        #expect(BuildID(hex: "000FA0ff") == id)
        #expect(BuildID(hex: "abc") == nil)
        #expect(BuildID(hex: "zz") == nil)
    }
}
