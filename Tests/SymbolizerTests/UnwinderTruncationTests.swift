import Foundation
import Logging
import Symbolizer
import Testing

/// Stacks that cannot be complete: the frames found are kept, with the reason the walk stopped.
@Suite struct UnwinderTruncationTests {
    @Test func cutSnapshotKeepsTheFramesBeforeTheCut() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest)
        let full = snapshot.unwind(with: unwinder)
        try #require(full.outcome == .complete)

        let cut = snapshot.unwind(with: unwinder, stackLimit: 64)
        #expect(cut.outcome == .truncated(.snapshotEnd))
        #expect(!cut.frames.isEmpty && cut.frames.count < full.frames.count)
        #expect(cut.frames == Array(full.frames.prefix(cut.frames.count)))

        // Every cut gives a prefix of the full stack: complete only when nothing needed was cut.
        for limit in [0, 8, 16, 24, 32, 48, 96, 128, 256, 512, 1024, snapshot.stack.count - 8] {
            let stack = snapshot.unwind(with: unwinder, stackLimit: limit)
            #expect(stack.frames == Array(full.frames.prefix(stack.frames.count)), "limit \(limit)")
            if stack.outcome == .complete {
                #expect(stack.frames == full.frames, "limit \(limit)")
            } else {
                #expect(stack.outcome == .truncated(.snapshotEnd), "limit \(limit)")
            }
        }
        #expect(snapshot.unwind(with: unwinder, stackLimit: 0).frames == [full.frames[0]])
        let noStack = unwinder.unwind(
            pid: snapshot.pid, maps: snapshot.maps, registers: snapshot.registers,
            stack: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(noStack == UnwoundStack(frames: [full.frames[0]], outcome: .truncated(.snapshotEnd)))
    }

    @Test func depthLimitKeepsExactlyThatManyFrames() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let full = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest))
        let stack = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest, maximumDepth: 3))
        #expect(stack.outcome == .truncated(.depthLimit))
        #expect(stack.frames == Array(full.frames.prefix(3)))
        // A limit equal to the full depth is not a truncation.
        let exact = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest, maximumDepth: full.frames.count))
        #expect(exact == full)
    }

    @Test func deepRecursionEndsAtTheSnapshotEnd() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["recurse"])
        let unwinder = StackUnwinder(logger: .unwinderTest, maximumDepth: 4096)
        let stack = snapshot.unwind(with: unwinder, stackLimit: 32 * 1024)
        #expect(stack.outcome == .truncated(.snapshotEnd))
        #expect(stack.frames.count > 100)
        let names = Set(snapshot.symbolize(stack, with: ELFSymbolizer(logger: .unwinderTest)).map(\.function))
        #expect(names == ["recurse"])

        let limited = snapshot.unwind(with: StackUnwinder(logger: .unwinderTest), stackLimit: 32 * 1024)
        #expect(limited.outcome == .truncated(.depthLimit))
        #expect(limited.frames == Array(stack.frames.prefix(256)))
    }

    @Test func unusableRegisters() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest)
        let ip = ProcessAddress(snapshot.registers[16])

        let tooFew = snapshot.unwind(with: unwinder, registers: Array(snapshot.registers.prefix(16)))
        #expect(tooFew == UnwoundStack(frames: [], outcome: .truncated(.invalidRegisters)))
        var registers = snapshot.registers
        registers[7] = 0
        #expect(
            snapshot.unwind(with: unwinder, registers: registers)
                == UnwoundStack(frames: [ip], outcome: .truncated(.invalidRegisters)))
        registers = snapshot.registers
        registers[16] = 0
        #expect(
            snapshot.unwind(with: unwinder, registers: registers)
                == UnwoundStack(frames: [], outcome: .truncated(.invalidRegisters)))
        #expect(unwinder.statistics.truncatedByReason == [.invalidRegisters: 3])
        #expect(unwinder.statistics.cachedProcesses == 0)
    }

    @Test func pcOutsideAnyModuleHasNoUnwindInfo() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest)
        var registers = snapshot.registers
        // An address on the stack: mapped, but not code of any file.
        registers[16] = registers[7]
        let onStack = snapshot.unwind(with: unwinder, registers: registers)
        #expect(onStack == UnwoundStack(frames: [ProcessAddress(registers[7])], outcome: .truncated(.noUnwindInfo)))

        // No modules at all.
        let empty = try ProcessMaps(pid: snapshot.pid, mapsText: "")
        let noMaps = snapshot.unwind(with: unwinder, pid: 1, maps: empty)
        #expect(noMaps.outcome == .truncated(.noUnwindInfo))
        #expect(noMaps.frames == [ProcessAddress(snapshot.registers[16])])
    }

    @Test func returnIntoAnUnmappedLibraryHasNoUnwindInfo() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest)
        let full = snapshot.unwind(with: unwinder)
        let withoutLibc = try ProcessMaps(
            pid: snapshot.pid,
            mapsText: snapshot.mapsText.split(separator: "\n").filter { !$0.contains("/libc.so") }.joined(
                separator: "\n"))
        let stack = snapshot.unwind(with: unwinder, pid: 77, maps: withoutLibc)
        #expect(stack.outcome == .truncated(.noUnwindInfo))
        // level5 … main, then the first libc return address, which is in no module.
        #expect(stack.frames == Array(full.frames.prefix(7)))
    }
}
