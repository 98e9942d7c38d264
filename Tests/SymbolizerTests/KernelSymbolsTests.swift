import Foundation
import Symbolizer
import Testing

@Suite struct KernelSymbolsTests {
    static let kallsyms = """
        ffffffff81000000 T _stext
        ffffffff81000000 T _text
        ffffffff81000000 T startup_64
        ffffffff81000100 t __pfx_do_thing
        ffffffff81000110 t do_thing
        ffffffff81000200 T __ia32_sys_getpid
        ffffffff81000200 T __x64_sys_getpid
        ffffffff81000200 t __do_sys_getpid
        ffffffff81000300 W weak_alias
        ffffffff81000300 T strong_name
        ffffffff81000400 D some_data
        ffffffff81000500 T last_text
        ffffffff81000600 T _etext
        ffffffff82000000 d data_after_text
        ffffffffc0001000 t ext4_thing\t[ext4]
        ffffffffc0001080 T ext4_other\t[ext4]
        ffffffffc0400000 t bpf_prog_123_handler\t[bpf]

        """

    @Test func nearestPrecedingTextSymbol() {
        let symbols = KernelSymbols(kallsymsText: Self.kallsyms)
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0000))
                == KernelSymbol(name: "startup_64", module: nil, offset: 0))
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0115))
                == KernelSymbol(name: "do_thing", module: nil, offset: 5))
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0104))?.name == "__pfx_do_thing")
        // Data symbols are not text: the preceding text symbol covers the address.
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0410))?.name == "strong_name")
    }

    @Test func aliasesPreferGlobalNonWeakFewerUnderscores() {
        let symbols = KernelSymbols(kallsymsText: Self.kallsyms)
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_8100_020a))
                == KernelSymbol(name: "__ia32_sys_getpid", module: nil, offset: 10))
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0300))?.name == "strong_name")
    }

    @Test func boundsAreHonest() {
        let symbols = KernelSymbols(kallsymsText: Self.kallsyms)
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_80ff_ffff)) == nil)
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_05ff))?.name == "last_text")
        // At and past _etext: not core text.
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8100_0600)) == nil)
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_8200_0000)) == nil)
        #expect(
            symbols.kernelTextRange == ProcessAddress(0xffff_ffff_8100_0000)...ProcessAddress(0xffff_ffff_8100_05ff))
        #expect(symbols.symbolize(ProcessAddress(0)) == nil)
    }

    @Test func moduleSymbols() {
        let symbols = KernelSymbols(kallsymsText: Self.kallsyms)
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_c000_1010))
                == KernelSymbol(name: "ext4_thing", module: "ext4", offset: 0x10))
        #expect(
            symbols.symbolize(ProcessAddress(0xffff_ffff_c000_1090))
                == KernelSymbol(name: "ext4_other", module: "ext4", offset: 0x10))
        // The last symbol of a module covers at most maximumOpenEndedSymbolSize bytes.
        let bound = KernelSymbols.maximumOpenEndedSymbolSize
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_c000_1080 + bound - 1))?.name == "ext4_other")
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_c000_1080 + bound)) == nil)
        #expect(symbols.symbolize(ProcessAddress(0xffff_ffff_c040_0004))?.module == "bpf")
        #expect(symbols.symbolize(ProcessAddress(UInt64.max)) == nil)
    }

    @Test func hiddenAddressesGiveNoSymbols() throws {
        let hidden = """
            0000000000000000 T _stext
            0000000000000000 T do_sys_openat2
            0000000000000000 T _etext

            """
        let symbols = KernelSymbols(kallsymsText: hidden)
        #expect(symbols.count == 0)
        #expect(symbols.kernelTextRange == nil)
        #expect(symbols.symbolize(ProcessAddress(0x1000)) == nil)

        let path = try Shell.makeTemporaryDirectory("kallsyms") + "/kallsyms"
        try Shell.write(hidden, to: path)
        #expect {
            try KernelSymbols(kallsymsPath: path)
        } throws: { error in
            (error as? SymbolizerError)?.code == .kernelAddressesHidden
        }
    }

    @Test func missingFileThrows() {
        #expect {
            try KernelSymbols(kallsymsPath: "/nonexistent/kallsyms")
        } throws: { error in
            (error as? SymbolizerError)?.code == .fileUnreadable
        }
    }

    @Test(arguments: ["do_sys_openat2", "__x64_sys_getpid"])
    func realKallsyms(name: String) throws {
        // procfs reports size 0, so read it with a tool that reads to end of file.
        let text = try Shell.run(["cat", "/proc/kallsyms"])
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 2).map(String.init) }
        let line = try #require(lines.first { $0.count == 3 && $0[2] == name })
        let address = try #require(UInt64(line[0], radix: 16))
        try #require(address != 0, "kallsyms addresses are hidden (kptr_restrict)")
        // Any text alias at the same address is an acceptable answer.
        let aliases = Set(lines.filter { $0.count == 3 && $0[0] == line[0] && "tTwW".contains($0[1]) }.map { $0[2] })

        let symbols = try KernelSymbols()
        let symbol = try #require(symbols.symbolize(ProcessAddress(address + 10)))
        #expect(aliases.contains(symbol.name), "\(symbol.name) is not one of \(aliases)")
        #expect(symbol.offset == 10)
        #expect(symbol.module == nil)
        let range = try #require(symbols.kernelTextRange)
        #expect(range.contains(ProcessAddress(address)))
    }
}
