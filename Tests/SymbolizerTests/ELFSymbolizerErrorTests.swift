import Foundation
import Logging
import Symbolizer
import Testing

/// Files that cannot be symbolized give a reason per address, never a crash.
@Suite struct ELFSymbolizerErrorTests {
    @Test func missingFileIsUnreadable() {
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let result = symbolizer.symbolize(path: "/nonexistent/scorch-\(UUID().uuidString)", offset: FileOffset(0x1000))
        #expect(result == .unknown(.fileUnreadable("No such file or directory")))
        guard case .failure(let error) = symbolizer.binaryInfo(path: "/nonexistent/x") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .fileUnreadable)
        #expect(error.errno == ENOENT)
        #expect(error.description.contains("/nonexistent/x"))
    }

    @Test func directoryIsUnreadable() throws {
        let directory = try Shell.makeTemporaryDirectory("dir")
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let result = symbolizer.symbolize(path: directory, offset: FileOffset(0))
        #expect(result == .unknown(.fileUnreadable("Is a directory")))
    }

    @Test(.enabled(if: getuid() != 0, "root reads mode-000 files"))
    func permissionDeniedIsUnreadable() throws {
        let path = try Shell.makeTemporaryDirectory("perm") + "/secret"
        try Shell.write("\u{7f}ELF", to: path)
        chmod(path, 0)
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        #expect(
            symbolizer.symbolize(path: path, offset: FileOffset(0)) == .unknown(.fileUnreadable("Permission denied")))
    }

    @Test func textFileIsNotELF() throws {
        let directory = try Shell.makeTemporaryDirectory("text")
        let path = directory + "/script.sh"
        try Shell.write("#!/bin/sh\necho hello\n", to: path)
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        #expect(symbolizer.symbolize(path: path, offset: FileOffset(4)) == .unknown(.notELF))
        #expect(
            symbolizer.symbolize(path: path, offsets: [FileOffset(0), FileOffset(8)])
                == [.unknown(.notELF), .unknown(.notELF)])
        guard case .failure(let error) = symbolizer.binaryInfo(path: path) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .notELF)
    }

    @Test func truncatedELFIsNotELF() throws {
        let fixtures = try Fixtures.get()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixtures.inlinePIE))
        let path = try Shell.makeTemporaryDirectory("trunc") + "/truncated"
        try bytes.prefix(40).write(to: URL(fileURLWithPath: path))
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        #expect(symbolizer.symbolize(path: path, offset: FileOffset(0x1000)) == .unknown(.notELF))
    }

    @Test func emptyFileIsNotELF() throws {
        let path = try Shell.makeTemporaryDirectory("empty") + "/empty"
        try Shell.write("", to: path)
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        #expect(symbolizer.symbolize(path: path, offset: FileOffset(0)) == .unknown(.notELF))
    }

    @Test func batchMixesResults() throws {
        let fixtures = try Fixtures.get()
        let elf = try ELFFile(path: fixtures.inlinePIE)
        let outer = try #require(try ELFFile.symbol("outer", in: fixtures.inlinePIE))
        let good = FileOffset(try #require(elf.fileOffset(ofELFAddress: outer.value)))
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"), maximumOpenBinaries: 1, maximumCachedResults: 2)
        let results = symbolizer.symbolize(path: fixtures.inlinePIE, offsets: [good, FileOffset(1 << 40), good, good])
        #expect(results[0].frames.last?.function == "outer")
        #expect(results[1] == .unknown(.offsetNotInLoadSegment))
        #expect(results[2] == results[0] && results[3] == results[0])
        // Evicting the binary (limit 1) and reopening it gives the same answers.
        _ = symbolizer.symbolize(path: fixtures.cxx, offset: FileOffset(0))
        #expect(symbolizer.symbolize(path: fixtures.inlinePIE, offset: good) == results[0])
    }
}
