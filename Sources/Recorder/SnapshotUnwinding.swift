import Glibc
import Logging
import Sampler
import Symbolizer

/// Turns stack snapshots into user stacks with DWARF unwinding, and in auto mode decides per process when the cheap
/// frame-pointer path is as good.
///
/// A process moves to the frame-pointer path after `agreementsNeeded` consecutive samples whose frame-pointer stack
/// equals the DWARF-unwound one and the unwind reached the outermost frame: the DWARF result is the oracle, so no
/// symbol names are guessed. Not thread-safe: one owner.
final class SnapshotUnwinding {
    /// A user stack as recorded: frames leaf first, and why it stops early if it does.
    struct UserStack: Hashable, Sendable {
        var frames: [UInt64]
        /// Indexes of frames that are exact addresses rather than return addresses (signal frames).
        var exactFrames: Set<Int>
        var truncation: TruncationReason?
    }

    struct Key: Hashable, Sendable {
        var pid: Int32
        /// The maps generation the stack was unwound against (see `ProcessCatalog`).
        var generation: Int?
        var tid: Int32
        var comm: String
        var user: UserStack
        var kernel: StackTrace
    }

    let unwinder: StackUnwinder
    let catalog: ProcessCatalog
    let mode: UnwindMode
    let agreementsNeeded = 16
    let logger: Logger
    /// Aggregated DWARF-unwound samples.
    private(set) var counts: [Key: UInt64] = [:]
    private var agreements: [Int32: Int] = [:]
    /// Pids moved to the frame-pointer path (auto mode).
    private(set) var framePointerPIDs: Set<Int32> = []
    private(set) var unwoundSamples: UInt64 = 0
    private(set) var truncatedSamples: [TruncationReason: UInt64] = [:]
    /// Time spent in the unwinder, excluding each process's first `warmUpUnwinds` (libdw loads its tables then).
    private(set) var warmUnwindTime: Duration = .zero
    private(set) var warmUnwinds: UInt64 = 0
    let warmUpUnwinds = 20
    private var unwindsPerProcess: [Int32: Int] = [:]
    private let clock = ContinuousClock()

    init(catalog: ProcessCatalog, mode: UnwindMode, maximumDepth: Int, logger: Logger) {
        // Each cached process holds a libdw Dwfl with the CFI of every module it unwound through: a few MB for
        // big binaries, so a busy host's many short-lived processes are bounded by count.
        unwinder = StackUnwinder(logger: logger, maximumProcesses: 16, maximumDepth: maximumDepth)
        self.catalog = catalog
        self.mode = mode
        self.logger = logger
    }

    /// Unwinds one snapshot and aggregates it. Returns the pid when auto mode decides that its frame-pointer stacks
    /// are complete, so the caller can switch the kernel side over.
    func add(_ snapshot: StackSnapshot) -> Int32? {
        let current = catalog.maps(for: snapshot.pid, covering: ProcessAddress(snapshot.instructionPointer))
        let unwound: UnwoundStack
        if let maps = current?.maps {
            let started = clock.now
            unwound = snapshot.stack.withUnsafeBytes {
                unwinder.unwind(pid: snapshot.pid, maps: maps, registers: snapshot.registers, stack: $0)
            }
            let seen = unwindsPerProcess[snapshot.pid, default: 0] + 1
            unwindsPerProcess[snapshot.pid] = seen
            if seen > warmUpUnwinds {
                warmUnwindTime += clock.now - started
                warmUnwinds += 1
            }
        } else {
            // The process is gone and was never seen alive: nothing to unwind against.
            unwound = UnwoundStack(frames: [ProcessAddress(snapshot.instructionPointer)], outcome: .truncated(.noUnwindInfo))
        }
        unwoundSamples += 1
        var user = UserStack(frames: unwound.frames.map(\.rawValue), exactFrames: unwound.exactFrames, truncation: nil)
        if case .truncated(let reason) = unwound.outcome {
            user.truncation = reason
            truncatedSamples[reason, default: 0] += 1
        }
        counts[Key(pid: snapshot.pid, generation: current?.generation, tid: snapshot.tid, comm: snapshot.comm, user: user, kernel: snapshot.kernelStack), default: 0] += 1
        return mode == .auto ? judgeFramePointers(snapshot, unwound) : nil
    }

    private func judgeFramePointers(_ snapshot: StackSnapshot, _ unwound: UnwoundStack) -> Int32? {
        guard !framePointerPIDs.contains(snapshot.pid) else { return nil }
        let agrees = unwound.outcome == .complete
            && snapshot.framePointerStack.frames == unwound.frames.map(\.rawValue)
        let streak = agrees ? agreements[snapshot.pid, default: 0] + 1 : 0
        agreements[snapshot.pid] = streak
        guard streak >= agreementsNeeded else { return nil }
        framePointerPIDs.insert(snapshot.pid)
        // No more snapshots will come for it: free its unwinding state now.
        unwinder.forget(pid: snapshot.pid)
        logger.debug("frame pointers complete; switching to the frame-pointer path", metadata: ["pid": "\(snapshot.pid)"])
        return snapshot.pid
    }

    /// What one window unwound: its aggregated stacks and counts.
    struct Window: Sendable {
        var counts: [Key: UInt64]
        var unwoundSamples: UInt64
        var truncatedSamples: [TruncationReason: UInt64]
        var warmUnwindTime: Duration
        var warmUnwinds: UInt64
    }

    /// Returns what was unwound since the last call and starts a new window. Per-process state (the unwinder's
    /// caches, frame-pointer decisions) carries over.
    func takeWindow() -> Window {
        defer {
            counts.removeAll(keepingCapacity: true)
            unwoundSamples = 0
            truncatedSamples.removeAll()
            warmUnwindTime = .zero
            warmUnwinds = 0
        }
        return Window(
            counts: counts, unwoundSamples: unwoundSamples, truncatedSamples: truncatedSamples,
            warmUnwindTime: warmUnwindTime, warmUnwinds: warmUnwinds)
    }

    /// Drops unwinder state of a process that has exited.
    func forget(_ pid: Int32) {
        unwinder.forget(pid: pid)
        agreements[pid] = nil
        unwindsPerProcess[pid] = nil
        framePointerPIDs.remove(pid)
    }
}
