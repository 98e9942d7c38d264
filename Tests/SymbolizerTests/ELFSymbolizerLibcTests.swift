import Foundation
import Logging
import Symbolizer
import Testing

/// libc is stripped; libc6-dbg's `/usr/lib/debug/.build-id/` file supplies DWARF and the full symbol table.
@Suite struct ELFSymbolizerLibcTests {
    static let libc = "/lib/x86_64-linux-gnu/libc.so.6"

    @Test func getpidHasFileAndLine() throws {
        let elf = try ELFFile(path: Self.libc)
        let getpid = try #require(try ELFFile.symbol("getpid", in: Self.libc, dynamic: true))
        let offset = try #require(elf.fileOffset(ofELFAddress: getpid.value + 1))

        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let frame = try #require(symbolizer.symbolize(path: Self.libc, offset: FileOffset(offset)).frames.last)
        #expect(frame.function.contains("getpid"))
        #expect(frame.file != nil)
        #expect(frame.line != nil)

        let oracle = try #require(try Addr2Line.frames(binary: Self.libc, addresses: [getpid.value + 1]).first)
        #expect(frame.file == oracle.last?.file)
        #expect(frame.line == oracle.last?.line)
    }

    @Test func localSymbolComesFromTheDebugFileSymtab() throws {
        let symbolizer = ELFSymbolizer(logger: Logger(label: "test"))
        let info = try symbolizer.binaryInfo(path: Self.libc).get()
        let buildID = try #require(info.buildID)
        let debugFile = "/usr/lib/debug/.build-id/\(buildID.hex.prefix(2))/\(buildID.hex.dropFirst(2)).debug"
        try #require(FileManager.default.fileExists(atPath: debugFile), "libc6-dbg is not installed")
        #expect(info.hasDebugInfo)
        #expect(info.hasInlineInfo)

        // Not in .dynsym: only the separate debug file's .symtab knows it.
        let memmove = try #require(try ELFFile.symbol("__memmove_avx_unaligned_erms", in: debugFile))
        let offset = try #require(try ELFFile(path: Self.libc).fileOffset(ofELFAddress: memmove.value + 3))
        let frame = try #require(symbolizer.symbolize(path: Self.libc, offset: FileOffset(offset)).frames.last)
        // __memcpy_avx_unaligned_erms is an alias at the same address.
        let aliases = try ELFFile.symbols(in: debugFile) { $0.hasSuffix("_avx_unaligned_erms") }
            .filter { $0.value == memmove.value }.map(\.name)
        #expect(aliases.contains(frame.systemName), "\(frame.systemName) not in \(aliases)")
        #expect(frame.file?.hasSuffix(".S") == true)
        #expect(frame.line != nil)
    }
}
