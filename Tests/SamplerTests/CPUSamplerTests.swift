import BPFRuntime
import Foundation
import Logging
import Sampler
import Testing

/// Real-kernel tests: the embedded program is loaded, attached to cpu-clock events and sampled.
@Suite(.serialized)
struct CPUSamplerTests {
    /// A child that burns CPU until terminated.
    func spinner() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while :; do :; done"]
        try process.run()
        return process
    }

    /// User + system CPU seconds of a process, from /proc/PID/stat.
    func cpuSeconds(_ pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the ")" closing comm: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGKILL: children of the test runner may not react to SIGTERM.
    func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @Test func samplesATargetedProcessWithStacksAndCounters() throws {
        let child = try spinner()
        defer { stop(child) }
        let sampler = try CPUSampler(
            configuration: SamplerConfiguration(frequency: 199, targetPIDs: [child.processIdentifier]),
            logger: Logger(label: "test"))
        let cpuBefore = try cpuSeconds(child.processIdentifier)
        Thread.sleep(forTimeInterval: 1.5)
        // Announced once, however many times it was sampled.
        #expect(try sampler.newProcesses() == [child.processIdentifier])
        #expect(try sampler.newProcesses() == [])
        sampler.stop()
        let cpuUsed = try cpuSeconds(child.processIdentifier) - cpuBefore
        let samples = try sampler.drain()
        let counters = try sampler.counters()

        let total = samples.reduce(0) { $0 + $1.count }
        // One sample per 1/199 s of CPU the child used, whatever share of a core it got on a busy machine.
        let expected = cpuUsed * 199
        #expect(expected > 20, "the child ran (\(cpuUsed) s of CPU)")
        #expect(abs(Double(total) - expected) <= expected * 0.2 + 5, "\(total) samples for \(cpuUsed) s of CPU at 199 Hz")
        #expect(total == counters.recorded, "every recorded sample is in the counts map")
        #expect(counters.samples >= counters.recorded + counters.filtered + counters.idle)
        #expect(samples.allSatisfy { $0.pid == child.processIdentifier && $0.comm == "sh" })
        let withUserStacks = samples.filter { !$0.userStack.frames.isEmpty }.reduce(0) { $0 + $1.count }
        #expect(withUserStacks * 10 >= total * 9, "user stacks on \(withUserStacks) of \(total) samples")
        // A busy shell in user mode is below the kernel's text; its addresses are user addresses.
        let leaves = samples.compactMap { $0.userStack.frames.first }
        #expect(leaves.allSatisfy { $0 < 0x8000_0000_0000 })
    }

    @Test func kernelStacksAreKernelAddresses() throws {
        // dd copying /dev/zero spends its time in the kernel.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/dd")
        child.arguments = ["if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000"]
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { stop(child) }
        let sampler = try CPUSampler(
            configuration: SamplerConfiguration(frequency: 199, targetPIDs: [child.processIdentifier]),
            logger: Logger(label: "test"))
        Thread.sleep(forTimeInterval: 1.0)
        sampler.stop()
        let samples = try sampler.drain()
        let kernelFrames = samples.flatMap { $0.kernelStack.frames }
        #expect(!kernelFrames.isEmpty)
        #expect(kernelFrames.allSatisfy { $0 >= 0xffff_8000_0000_0000 })
    }

    @Test func flippingMapSetsLosesNoSample() throws {
        let child = try spinner()
        defer { stop(child) }
        let sampler = try CPUSampler(
            configuration: SamplerConfiguration(frequency: 199, targetPIDs: [child.processIdentifier]),
            logger: Logger(label: "test"))
        var drained: UInt64 = 0
        for _ in 0..<4 {
            Thread.sleep(forTimeInterval: 0.4)
            let idle = try sampler.flip()
            #expect(idle != sampler.activeSet)
            let window = try sampler.drain(set: idle, clearing: true)
            #expect(!window.isEmpty, "each window has samples")
            drained += window.reduce(0) { $0 + $1.count }
            #expect(try sampler.drain(set: idle, clearing: false).isEmpty, "a cleared set is empty")
        }
        sampler.stop()
        drained += try sampler.drain().reduce(0) { $0 + $1.count }
        #expect(drained == (try sampler.counters()).recorded, "every recorded sample was drained exactly once")
    }

    @Test func announcesEachNewProcessOnceUntilForgotten() throws {
        let first = try spinner()
        defer { stop(first) }
        let sampler = try CPUSampler(
            configuration: SamplerConfiguration(frequency: 199), logger: Logger(label: "test"))
        Thread.sleep(forTimeInterval: 0.5)
        var announced = try sampler.newProcesses()
        #expect(announced.contains(first.processIdentifier), "a busy process is announced: \(announced)")
        #expect(Set(announced).count == announced.count, "no pid is announced twice")
        #expect(!announced.contains(0), "the idle task is not a process")

        // A process started now is announced within one drain, and the others are not announced again.
        let second = try spinner()
        defer { stop(second) }
        Thread.sleep(forTimeInterval: 0.5)
        announced = try sampler.newProcesses()
        #expect(announced.contains(second.processIdentifier))
        #expect(!announced.contains(first.processIdentifier))

        // Forgotten (as when a process exits and its pid may be reused), it is announced again when sampled.
        try sampler.forgetProcess(first.processIdentifier)
        Thread.sleep(forTimeInterval: 0.5)
        announced = try sampler.newProcesses()
        #expect(announced.contains(first.processIdentifier))
        #expect(!announced.contains(second.processIdentifier))
        #expect(try sampler.counters().newProcessEventsLost == 0)
    }

    /// The profiler's own process is left out (and counted) unless asked for.
    @Test func ownProcessIsExcludedAndCounted() throws {
        let busy = BusyThread()
        defer { busy.stop() }
        for excludeSelf in [true, false] {
            var configuration = SamplerConfiguration(frequency: 199)
            configuration.excludeSelf = excludeSelf
            let sampler = try CPUSampler(configuration: configuration, logger: Logger(label: "test"))
            Thread.sleep(forTimeInterval: 0.6)
            sampler.stop()
            let own = try sampler.drain().filter { $0.pid == getpid() }.reduce(0) { $0 + $1.count }
            let counters = try sampler.counters()
            if excludeSelf {
                #expect(own == 0 && counters.excluded > 20, "own \(own), excluded \(counters.excluded)")
            } else {
                #expect(own > 20 && counters.excluded == 0, "own \(own), excluded \(counters.excluded)")
            }
        }
    }

    @Test func rejectsInvalidConfiguration() {
        #expect(SamplerConfiguration(frequency: 0).problem != nil)
        #expect(SamplerConfiguration(maxStackDepth: 500).problem != nil)
        #expect(SamplerConfiguration(targetPIDs: Array(repeating: 1, count: 65)).problem != nil)
        #expect(throws: BPFError.self) {
            _ = try CPUSampler(configuration: SamplerConfiguration(frequency: 0), logger: Logger(label: "test"))
        }
    }
}

/// A thread of the test process that burns CPU until stopped.
final class BusyThread: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true

    init() {
        Thread.detachNewThread { [self] in
            var x: UInt64 = 1
            while isRunning { for i in 0..<100_000 { x = x &* 6364136223846793005 &+ UInt64(i) } }
            if x == 42 { print(x) }
        }
    }

    private var isRunning: Bool { lock.withLock { running } }

    func stop() { lock.withLock { running = false } }
}
