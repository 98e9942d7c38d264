import Foundation
import Logging
import Symbolizer
import Testing

/// Complete stacks from real snapshots of programs built without frame pointers (see ``UnwinderFixtures``).
@Suite struct UnwinderTests {
    enum Variant: String, CaseIterable, CustomTestStringConvertible {
        case withDebugInfo, withoutDebugInfo, debugFrameOnly
        var testDescription: String { rawValue }
        func binary(_ fixtures: UnwinderFixtures) -> String {
            let path =
                switch self {
                case .withDebugInfo: fixtures.withDebugInfo
                case .withoutDebugInfo: fixtures.withoutDebugInfo
                case .debugFrameOnly: fixtures.debugFrameOnly
                }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }

    @Test(arguments: Variant.allCases)
    func chainUnwindsToStart(variant: Variant) throws {
        let binary = variant.binary(try UnwinderFixtures.get())
        let snapshot = try UnwinderSnapshot.capture(binary, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest)
        let stack = snapshot.unwind(with: unwinder)
        let symbols = snapshot.symbolize(stack, with: ELFSymbolizer(logger: .unwinderTest))
        let names = symbols.map(\.function)

        #expect(stack.outcome == .complete, "\(names)")
        #expect(Array(names.prefix(6)) == ["level5", "level4", "level3", "level2", "level1", "main"], "\(names)")
        #expect(names.last == "_start", "\(names)")
        #expect(symbols.last?.path == binary)
        // Between main and _start: only libc (__libc_start_call_main, __libc_start_main).
        let startup = symbols.dropFirst(6).dropLast()
        #expect(!startup.isEmpty && startup.allSatisfy { $0.path.contains("/libc.so") }, "\(symbols)")

        // frames[0] is the sampled ip; the others are return addresses as found on the stack, not adjusted.
        #expect(stack.frames.first?.rawValue == snapshot.registers[16])
        let words = snapshot.stackWords
        #expect(stack.frames.dropFirst().allSatisfy { words.contains($0.rawValue) })
        #expect(stack.exactFrames.isEmpty)
        let adjusted = stack.frames.dropFirst().map { ProcessAddress($0.rawValue - 1) }
        #expect(stack.addressesForSymbolization == [stack.frames[0]] + adjusted)
    }

    @Test func threadUnwindsToClone() throws {
        let binary = URL(fileURLWithPath: try UnwinderFixtures.get().withDebugInfo).standardizedFileURL.path
        let snapshot = try UnwinderSnapshot.capture(binary, ["thread"])
        #expect(snapshot.maps.mapping(containing: ProcessAddress(snapshot.registers[7]))?.path != "[stack]")
        let stack = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest))
        let symbols = snapshot.symbolize(stack, with: ELFSymbolizer(logger: .unwinderTest))
        let names = symbols.map(\.function)

        #expect(stack.outcome == .complete, "\(names)")
        let expected = ["level5", "level4", "level3", "level2", "level1", "thread_main"]
        #expect(Array(names.prefix(expected.count)) == expected, "\(names)")
        // start_thread, then clone3, whose CFI marks the return address undefined.
        let threadStart = symbols.dropFirst(expected.count)
        #expect(!threadStart.isEmpty && threadStart.allSatisfy { $0.path.contains("/libc.so") }, "\(symbols)")
        #expect(threadStart.contains { $0.function == "start_thread" }, "\(names)")
        #expect(threadStart.last?.function.contains("clone") == true, "\(names)")
    }

    /// A sample in a signal handler unwinds through the kernel's signal frame (`__restore_rt`) into the
    /// interrupted code, whose pc is exact rather than a return address.
    @Test func signalHandlerUnwindsIntoTheInterruptedCode() throws {
        let binary = URL(fileURLWithPath: try UnwinderFixtures.get().withDebugInfo).standardizedFileURL.path
        let snapshot = try UnwinderSnapshot.capture(binary, ["signal"])
        let stack = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest))
        let names = snapshot.symbolize(stack, with: ELFSymbolizer(logger: .unwinderTest)).map(\.function)

        #expect(stack.outcome == .complete, "\(names)")
        #expect(Array(names.prefix(3)) == ["level5", "signal_handler", "__restore_rt"], "\(names)")
        // __restore_rt and the interrupted frame are exact pcs; symbolizing __restore_rt's address minus one
        // would miss it.
        #expect(stack.exactFrames == [2, 3])
        let caller = try #require(names.firstIndex(of: "signal_caller"), "\(names)")
        #expect(caller > 3)
        #expect(Array(names[caller...].prefix(2)) == ["signal_caller", "main"], "\(names)")
        #expect(names.last == "_start", "\(names)")
    }

    @Test func eachVariantHasTheCFIItIsMeantToTest() throws {
        let fixtures = try UnwinderFixtures.get()
        let withDebugInfo = try Shell.run(["readelf", "-S", "-W", fixtures.withDebugInfo])
        #expect(withDebugInfo.contains(" .eh_frame ") && withDebugInfo.contains(" .debug_info "))
        let withoutDebugInfo = try Shell.run(["readelf", "-S", "-W", fixtures.withoutDebugInfo])
        #expect(withoutDebugInfo.contains(" .eh_frame ") && !withoutDebugInfo.contains(" .debug_"))

        // level5's only FDE is in .debug_frame.
        let level5 = try #require(try ELFFile.symbol("level5", in: fixtures.debugFrameOnly)).value
        let frames = try Shell.run(["readelf", "-W", "--debug-dump=frames", fixtures.debugFrameOnly])
        let sections = frames.components(separatedBy: "Contents of the .debug_frame section")
        try #require(sections.count == 2)
        #expect(!Self.fdeRanges(in: sections[0]).contains { $0.contains(level5) })
        #expect(Self.fdeRanges(in: sections[1]).contains { $0.contains(level5) })
    }

    /// The `pc=START..END` ranges of the FDEs in `readelf --debug-dump=frames` output.
    static func fdeRanges(in text: String) -> [Range<UInt64>] {
        text.split(separator: "\n").compactMap { line in
            guard line.contains(" FDE "), let pc = line.range(of: "pc=") else { return nil }
            let bounds = line[pc.upperBound...].split(separator: ".", omittingEmptySubsequences: true)
            guard bounds.count == 2, let start = UInt64(bounds[0], radix: 16), let end = UInt64(bounds[1], radix: 16),
                start <= end
            else { return nil }
            return start..<end
        }
    }

    @Test func swiftOptimizedCodeUnwindsToStart() throws {
        let binary = try UnwinderSwiftFixture.get().binary
        let snapshot = try UnwinderSnapshot.capture(binary)
        let unwinder = StackUnwinder(logger: .unwinderTest)
        let stack = snapshot.unwind(with: unwinder)
        let names = snapshot.symbolize(stack, with: ELFSymbolizer(logger: .unwinderTest)).map(\.function)

        #expect(stack.outcome == .complete, "\(names)")
        let expected = ["scorch_snapshot", "swiftLevel3", "swiftLevel2", "swiftLevel1"]
        #expect(names.count > expected.count + 2, "\(names)")
        for (name, fragment) in zip(names, expected) {
            #expect(name.contains(fragment), "\(names)")
        }
        #expect(names.dropFirst(expected.count).first == "main", "\(names)")
        #expect(names.last == "_start", "\(names)")
    }

    /// CPython calling `scorch_snapshot` through ctypes: libffi, the interpreter loop and `Py_RunMain`, down to
    /// `_start`. Debian's python3 is a non-PIE executable (`ET_EXEC`); the one on PATH may be a PIE with a shared
    /// libpython.
    @Test(arguments: ["/usr/bin/python3", "python3"])
    func pythonUnwindsToStart(python: String) throws {
        let library = try UnwinderFixtures.get().snapshotLibrary
        let code = "import ctypes, sys; ctypes.CDLL(sys.argv[1]).scorch_snapshot(sys.argv[2].encode())"
        let snapshot = try UnwinderSnapshot.capture(python, ["-c", code, library])
        let stack = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest))
        let names = snapshot.symbolize(stack, with: ELFSymbolizer(logger: .unwinderTest)).map(\.function)

        #expect(stack.outcome == .complete, "\(names)")
        #expect(names.first == "scorch_snapshot", "\(names)")
        #expect(names.contains("ffi_call"), "\(names)")
        #expect(names.contains("_PyEval_EvalFrameDefault"), "\(names)")
        #expect(names.contains("Py_RunMain"), "\(names)")
        #expect(names.last == "_start", "\(names)")
    }

    /// A sample taken on the first instruction of `__vdso_clock_gettime`, called from level5: built from the chain
    /// snapshot by pushing level5's return address, as the `call` would have.
    @Test func vdsoFrameUnwindsThroughTheVDSOImage() throws {
        let fixtures = try UnwinderFixtures.get()
        let snapshot = try UnwinderSnapshot.capture(fixtures.withDebugInfo, ["chain"])
        let entry = try #require(snapshot.vdsoClockGettime, "the fixture found no __vdso_clock_gettime")
        #expect(snapshot.maps.mapping(containing: ProcessAddress(entry))?.path == "[vdso]")

        var registers = snapshot.registers
        let returnAddress = registers[16]
        registers[7] -= 8
        registers[16] = entry
        var pushed = snapshot
        pushed.stack = withUnsafeBytes(of: returnAddress.littleEndian) { Array($0) } + snapshot.stack
        pushed.registers = registers

        let unwinder = StackUnwinder(logger: .unwinderTest)
        let full = snapshot.unwind(with: unwinder)
        let throughVDSO = pushed.unwind(with: unwinder)
        #expect(throughVDSO.outcome == .complete)
        #expect(throughVDSO.frames == [ProcessAddress(entry)] + full.frames)
    }
}
