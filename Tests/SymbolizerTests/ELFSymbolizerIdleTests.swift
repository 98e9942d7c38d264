import Foundation
import Logging
import Symbolizer
import Testing

/// `closeIdleBinaries`: a long-running symbolizer gives back libdw's memory and descriptors of binaries it no longer
/// uses, keeps their results, and reopens them transparently.
@Suite struct ELFSymbolizerIdleTests {
    /// Descriptors of this process open on `paths`; only those, since other tests' servers and threads in the same
    /// process open and close descriptors of their own meanwhile.
    func openDescriptors(on paths: [String]) throws -> Int {
        let targets = Set(paths.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path })
        return try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")).map(targets.contains)
                ?? false
        }
    }

    @Test func idleBinariesAreClosedAndReopenedOnDemand() throws {
        let fixtures = try Fixtures.get()
        let elf = try ELFFile(path: fixtures.inlinePIE)
        let outer = try #require(try ELFFile.symbol("outer", in: fixtures.inlinePIE))
        let offsets = try (outer.value..<(outer.value + outer.size)).map {
            FileOffset(try #require(elf.fileOffset(ofELFAddress: $0)))
        }
        let reference = ELFSymbolizer(logger: Logger(label: "test")).symbolize(path: fixtures.inlinePIE, offsets: offsets)

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let binaries = [fixtures.inlinePIE, fixtures.cxx]
        #expect(try openDescriptors(on: binaries) == 0)
        let first = symbolizer.symbolize(path: fixtures.inlinePIE, offsets: Array(offsets.prefix(4)))
        _ = symbolizer.symbolize(path: fixtures.cxx, offset: FileOffset(0x1100))
        #expect(symbolizer.openBinaryCount == 2)
        #expect(try openDescriptors(on: binaries) >= 2)

        // Used in this period: kept. Idle for a whole period: closed, descriptors released.
        #expect(symbolizer.closeIdleBinaries(idlePeriods: 1, maximumOpen: 10) == 0)
        _ = symbolizer.symbolize(path: fixtures.inlinePIE, offsets: Array(offsets.prefix(4)))
        #expect(symbolizer.closeIdleBinaries(idlePeriods: 1, maximumOpen: 10) == 1, "cxx was idle for a period")
        #expect(symbolizer.openBinaryCount == 1)
        #expect(symbolizer.closeIdleBinaries(idlePeriods: 1, maximumOpen: 10) == 1, "then the other")
        #expect(symbolizer.openBinaryCount == 0)
        #expect(try openDescriptors(on: binaries) == 0)

        // Cached offsets answer without reopening; new ones reopen and match a fresh symbolizer.
        #expect(symbolizer.symbolize(path: fixtures.inlinePIE, offsets: Array(offsets.prefix(4))) == first)
        #expect(symbolizer.openBinaryCount == 0)
        #expect(symbolizer.symbolize(path: fixtures.inlinePIE, offsets: offsets) == reference)
        #expect(symbolizer.openBinaryCount == 1)
        #expect(try symbolizer.binaryInfo(path: fixtures.inlinePIE).get().hasInlineInfo)
    }

    @Test func atMostTheNewestBinariesStayOpen() throws {
        let fixtures = try Fixtures.get()
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        for binary in [fixtures.inlinePIE, fixtures.inlineNoPIE, fixtures.cxx, fixtures.inlineClang] {
            _ = symbolizer.symbolize(path: binary, offset: FileOffset(0x1100))
        }
        #expect(symbolizer.openBinaryCount == 4)
        #expect(symbolizer.closeIdleBinaries(idlePeriods: 5, maximumOpen: 1) == 3)
        #expect(symbolizer.openBinaryCount == 1)
        // The one left open is the most recently used.
        _ = symbolizer.symbolize(path: fixtures.inlineClang, offset: FileOffset(0x1200))
        #expect(symbolizer.openBinaryCount == 1)

        // A byte budget: every file is bigger than 1 byte, but the newest always stays.
        for binary in [fixtures.inlinePIE, fixtures.inlineNoPIE, fixtures.cxx] {
            _ = symbolizer.symbolize(path: binary, offset: FileOffset(0x1300))
        }
        #expect(symbolizer.closeIdleBinaries(idlePeriods: 5, maximumOpen: 10, maximumOpenBytes: 1) == 3)
        #expect(symbolizer.openBinaryCount == 1)
    }
}
