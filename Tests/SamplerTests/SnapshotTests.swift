import BPFRuntime
import Foundation
import Logging
import Sampler
import Testing

/// DWARF mode on the real kernel: snapshots of user registers and stack arrive through the ring buffer.
@Suite(.serialized)
struct SnapshotTests {
    func start(_ path: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func snapshots(of pid: Int32, mode: UnwindMode, seconds: Double) throws -> ([StackSnapshot], SamplerCounters) {
        let sampler = try CPUSampler(
            configuration: SamplerConfiguration(frequency: 199, targetPIDs: [pid], unwind: mode),
            logger: Logger(label: "test"))
        var collected: [StackSnapshot] = []
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            try sampler.drainSnapshots { collected.append($0) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        sampler.stop()
        try sampler.drainSnapshots { collected.append($0) }
        return (collected, try sampler.counters())
    }

    @Test func userModeSnapshotsCarryRegistersAndStack() throws {
        let child = try start("/bin/sh", ["-c", "while :; do :; done"])
        defer { stop(child) }
        let (snapshots, counters) = try snapshots(of: child.processIdentifier, mode: .dwarf, seconds: 1.0)
        #expect(snapshots.count > 100, "\(snapshots.count) snapshots")
        #expect(UInt64(snapshots.count) == counters.snapshots, "every snapshot sent arrives")
        #expect(counters.recorded == 0, "DWARF-mode samples skip the counts map")
        for snapshot in snapshots {
            #expect(snapshot.pid == child.processIdentifier)
            #expect(snapshot.registers.count == 17)
            #expect(snapshot.instructionPointer > 0 && snapshot.instructionPointer < 0x8000_0000_0000)
            #expect(snapshot.stackPointer > 0 && snapshot.stackPointer < 0x8000_0000_0000)
            // The main thread's stack holds at least argv/envp above sp; the copy reaches them.
            #expect(snapshot.stack.count >= 512 && snapshot.stack.count <= 32768)
            // The frame-pointer stack of the same sample starts at the same ip, unless the stack map lost it to a
            // hash collision (counted, and allowed: the map does not replace stacks).
            if case .lost(let reason) = snapshot.framePointerStack {
                #expect(reason == .collision)
            } else {
                #expect(snapshot.framePointerStack.frames.first == snapshot.instructionPointer)
            }
        }
        let collisions = snapshots.filter { $0.framePointerStack == .lost(.collision) }.count
        #expect(UInt64(collisions) == counters.userStackLost[.collision, default: 0], "every lost stack is counted")
    }

    @Test func kernelModeSnapshotsUseTheSavedUserRegisters() throws {
        let child = try start("/bin/dd", ["if=/dev/zero", "of=/dev/null", "bs=1", "count=1000000000"])
        defer { stop(child) }
        let (snapshots, _) = try snapshots(of: child.processIdentifier, mode: .dwarf, seconds: 1.0)
        let inKernel = snapshots.filter(\.fromKernelMode)
        #expect(!inKernel.isEmpty)
        for snapshot in inKernel {
            // A kernel-mode sample has a kernel stack, unless the stack map lost it to a hash collision (counted).
            if case .lost(let reason) = snapshot.kernelStack {
                #expect(reason == .collision)
            } else {
                #expect(!snapshot.kernelStack.frames.isEmpty, "\(snapshot.kernelStack)")
            }
            #expect(snapshot.instructionPointer > 0 && snapshot.instructionPointer < 0x8000_0000_0000)
            #expect(snapshot.stack.count > 0)
        }
    }

    @Test func autoModeStopsSnapshotsOnceAProcessIsMarked() throws {
        let child = try start("/bin/sh", ["-c", "while :; do :; done"])
        defer { stop(child) }
        let sampler = try CPUSampler(
            configuration: SamplerConfiguration(frequency: 199, targetPIDs: [child.processIdentifier], unwind: .auto),
            logger: Logger(label: "test"))
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try sampler.drainSnapshots { _ in } > 0)
        try sampler.markFramePointerComplete(child.processIdentifier)
        _ = try sampler.drainSnapshots { _ in }
        let before = try sampler.counters()
        Thread.sleep(forTimeInterval: 0.5)
        let after = try sampler.counters()
        #expect(after.snapshots == before.snapshots, "no snapshots after marking")
        #expect(after.recorded > before.recorded, "samples go to the counts map instead")
    }
}
