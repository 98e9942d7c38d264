import Foundation
import Symbolizer
import Testing

@Suite struct ProcessMapsTests {
    static let mapsText = """
        55d0c0a00000-55d0c0a02000 r--p 00000000 fd:01 1311 /usr/bin/demo
        55d0c0a02000-55d0c0a05000 r-xp 00002000 fd:01 1311 /usr/bin/demo
        55d0c1b00000-55d0c1b21000 rw-p 00000000 00:00 0                          [heap]
        7f1a2c000000-7f1a2c021000 rw-p 00000000 00:00 0 
        7f1a2d026000-7f1a2d17b000 r-xp 00026000 fd:01 2231 /usr/lib/x86_64-linux-gnu/libc.so.6
        7f1a2d200000-7f1a2d201000 r-xp 00001000 fd:01 4242 /tmp/old plugin.so (deleted)
        7ffd4c8e0000-7ffd4c901000 rw-p 00000000 00:00 0                          [stack]
        7ffd4c9f5000-7ffd4c9f7000 r-xp 00000000 00:00 0                          [vdso]
        ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]

        """

    @Test func readsAFakeProcDirectory() throws {
        let root = try Shell.makeTemporaryDirectory("proc")
        try FileManager.default.createDirectory(atPath: root + "/4242", withIntermediateDirectories: true)
        try Shell.write(Self.mapsText, to: root + "/4242/maps")

        let maps = try ProcessMaps(pid: 4242, procRoot: root)
        #expect(maps.pid == 4242)
        #expect(maps.mappings.count == 9)
        #expect(maps.mappings == (try ProcessMaps(pid: 4242, mapsText: Self.mapsText)).mappings)
    }

    @Test func parsesEveryKindOfLine() throws {
        let maps = try ProcessMaps(pid: 1, mapsText: Self.mapsText)
        let text = maps.mappings[1]
        #expect(text.start == ProcessAddress(0x55d0_c0a0_2000))
        #expect(text.end == ProcessAddress(0x55d0_c0a0_5000))
        #expect(text.fileOffset == FileOffset(0x2000))
        #expect(text.permissions == "r-xp")
        #expect(text.device == "fd:01")
        #expect(text.inode == 1311)
        #expect(text.path == "/usr/bin/demo")
        #expect(text.isExecutable && text.isFileBacked && !text.isDeleted)

        let heap = maps.mappings[2]
        #expect(heap.path == "[heap]" && !heap.isFileBacked && !heap.isExecutable)

        let anonymous = maps.mappings[3]
        #expect(anonymous.path == "" && anonymous.inode == 0 && !anonymous.isFileBacked)

        let deleted = maps.mappings[5]
        #expect(deleted.path == "/tmp/old plugin.so (deleted)")
        #expect(deleted.isFileBacked && deleted.isDeleted)
        #expect(deleted.pathWithoutDeletedSuffix == "/tmp/old plugin.so")

        let vdso = maps.mappings[7]
        #expect(vdso.path == "[vdso]" && vdso.isExecutable && !vdso.isFileBacked)

        let vsyscall = maps.mappings[8]
        #expect(vsyscall.end == ProcessAddress(0xffff_ffff_ff60_1000))
        #expect(vsyscall.permissions == "--xp" && vsyscall.isExecutable)
    }

    @Test func mappingContainingHandlesEdges() throws {
        let maps = try ProcessMaps(pid: 1, mapsText: Self.mapsText)
        let first = maps.mappings[0]
        #expect(maps.mapping(containing: ProcessAddress(0)) == nil)
        #expect(maps.mapping(containing: ProcessAddress(first.start.rawValue - 1)) == nil)
        #expect(maps.mapping(containing: first.start) == first)
        // `end` is exclusive: the next mapping starts there.
        #expect(maps.mapping(containing: first.end) == maps.mappings[1])
        #expect(maps.mapping(containing: ProcessAddress(maps.mappings[1].end.rawValue - 1)) == maps.mappings[1])
        // Gap between the binary and the heap.
        #expect(maps.mapping(containing: ProcessAddress(0x55d0_c0a0_5000)) == nil)
        #expect(maps.mapping(containing: ProcessAddress(0x7ffd_4c9f_6fff))?.path == "[vdso]")
        #expect(maps.mapping(containing: ProcessAddress(UInt64.max)) == nil)
        #expect(try ProcessMaps(pid: 1, mapsText: "").mapping(containing: ProcessAddress(0x1000)) == nil)
    }

    @Test func fileOffsetOfAnAddress() throws {
        let maps = try ProcessMaps(pid: 1, mapsText: Self.mapsText)
        let libc = try #require(maps.mapping(containing: ProcessAddress(0x7f1a_2d02_6000 + 0x1234)))
        #expect(libc.fileOffset(of: ProcessAddress(0x7f1a_2d02_6000 + 0x1234)) == FileOffset(0x26000 + 0x1234))
        #expect(libc.fileOffset(of: libc.start) == FileOffset(0x26000))
    }

    @Test func unsortedInputIsSorted() throws {
        let lines = Self.mapsText.split(separator: "\n").reversed().joined(separator: "\n")
        let maps = try ProcessMaps(pid: 1, mapsText: lines)
        #expect(maps.mappings == (try ProcessMaps(pid: 1, mapsText: Self.mapsText)).mappings)
    }

    @Test(arguments: [
        "not a maps line",
        "1000-2000 r-xp 00000000 fd:01",
        "zzzz-2000 r-xp 00000000 fd:01 1 /x",
        "2000-1000 r-xp 00000000 fd:01 1 /x",
        "1000-2000 r-xpq 00000000 fd:01 1 /x",
        "1000-2000 r-xp 00000000 fd01 1 /x",
        "1000-2000 r-xp 00000000 fd:01 -1 /x",
    ])
    func malformedLinesThrow(line: String) {
        #expect {
            try ProcessMaps(pid: 7, mapsText: "1000-2000 r-xp 00000000 fd:01 1 /ok\n" + line)
        } throws: { error in
            guard let error = error as? SymbolizerError else { return false }
            return error.code == .malformedMaps && error.message.contains("line 2")
        }
    }

    @Test func missingProcessIsUnreadable() throws {
        let root = try Shell.makeTemporaryDirectory("noproc")
        #expect {
            try ProcessMaps(pid: 99, procRoot: root)
        } throws: { error in
            (error as? SymbolizerError)?.code == .fileUnreadable && (error as? SymbolizerError)?.errno == ENOENT
        }
    }

    @Test func readsOwnMaps() throws {
        let maps = try ProcessMaps(pid: getpid())
        #expect(!maps.mappings.isEmpty)
        #expect(zip(maps.mappings, maps.mappings.dropFirst()).allSatisfy { $0.end <= $1.start })
        // The code of this very function is in an executable, file-backed mapping.
        let here = unsafeBitCast(Self.probe as @convention(c) () -> Void, to: UInt.self)
        let mapping = try #require(maps.mapping(containing: ProcessAddress(UInt64(here))))
        #expect(mapping.isExecutable && mapping.isFileBacked)
        #expect(maps.mappings.contains { $0.path == "[stack]" })
    }

    static let probe: @convention(c) () -> Void = {}
}
