import Testing

@testable import Symbolizer

/// Internals: with `dwfl_report_elf(…, base 0, add_p_vaddr false)`, a module address is the ELF address.
@Suite struct ELFBinaryTests {
    @Test(arguments: ["inline-pie", "inline-nopie", "libfixture-strip.so"])
    func moduleAddressEqualsELFAddress(name: String) throws {
        let path = try Fixtures.get().directory + "/" + name
        let binary = try ELFBinary(path: path)
        #expect(binary.bias == 0)
        let elf = try ELFFile(path: path)
        for segment in elf.loadSegments {
            let offset = FileOffset(segment.offset + segment.fileSize / 2)
            #expect(binary.moduleAddress(of: offset) == segment.virtualAddress + segment.fileSize / 2)
        }
    }

    @Test func libcBiasIsZero() throws {
        #expect(try ELFBinary(path: ELFSymbolizerLibcTests.libc).bias == 0)
    }

    @Test func segmentLookupPrefersExecutable() {
        let segments = [
            LoadSegment(fileOffset: 0, fileSize: 0x2000, virtualAddress: 0x10000, isExecutable: false),
            LoadSegment(fileOffset: 0x1000, fileSize: 0x1000, virtualAddress: 0x21000, isExecutable: true),
        ]
        #expect(segments.elfAddress(of: FileOffset(0x1800)) == ELFAddress(0x21800))
        #expect(segments.elfAddress(of: FileOffset(0x800)) == ELFAddress(0x10800))
        #expect(segments.elfAddress(of: FileOffset(0x2000)) == nil)
    }
}
