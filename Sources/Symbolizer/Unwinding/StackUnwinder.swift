internal import CLibdw
public import Logging

/// Unwinds user stacks copied by the sampler, with DWARF CFI (`.eh_frame`, `.debug_frame`) through libdw, like
/// `perf record --call-graph dwarf`: binaries built without frame pointers unwind completely.
///
/// A sample is the thread's 17 user registers in DWARF x86-64 order (0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi,
/// 6 rbp, 7 rsp, 8–15 r8–r15, 16 rip) and a copy of the top of its user stack, starting at rsp. Memory reads are
/// answered from that copy only, and modules come from the maps the caller captured, so the process may have
/// exited by the time its samples are unwound. The `[vdso]` mapping is unwound with this process's own vDSO
/// image, which the kernel shares with every 64-bit process. Other modules are the executable file mappings, opened
/// by the path the maps show: for a process in another mount namespace (a container), pass maps whose paths are
/// reachable from this one, e.g. under `/proc/PID/root`. Deleted files and anonymous code (JIT) have no unwind
/// information: stacks stop there with ``TruncationReason/noUnwindInfo``.
///
/// Per process, the unwinder caches a libdw `Dwfl` with its modules: ELF files are opened, and their CFI parsed,
/// when a pc first falls in them, then reused for later samples (about 1 ms for a process's first samples, a few
/// µs per unwind after that). At most `maximumProcesses` are kept, least recently used first out, each holding
/// an open file descriptor per module it unwound through (and per separate debug file, read only where `.eh_frame`
/// lacks an entry): leave room for a few per process under `RLIMIT_NOFILE`. When the maps passed for a process
/// yield different modules than its cached state holds (`exec`, `dlopen`, `dlclose`), the state is rebuilt.
///
/// Not thread-safe, and not `Sendable`: one owner (one task or thread) uses it at a time. `deinit` frees every
/// `Dwfl` and closes every file.
public final class StackUnwinder {
    /// The number of registers a sample holds.
    public static let registerCount = Int(CLibdw_UNWIND_REGISTER_COUNT)

    private let logger: Logger
    private let maximumProcesses: Int
    private let maximumDepth: Int
    private let vdso: VDSOImage?
    private var processes: [Int32: ProcessUnwinder] = [:]
    private var useClock: UInt64 = 0
    private var counters = UnwinderStatistics()

    /// Creates an unwinder with no cached processes.
    ///
    /// - Parameters:
    ///   - logger: receives debug messages when a process's state is built, rebuilt or evicted, and libdw's
    ///     message for each `unwindError`.
    ///   - maximumProcesses: processes whose unwinding state is cached at once (at least 1).
    ///   - maximumDepth: frames returned at most per stack (at least 1); deeper stacks are truncated with
    ///     ``TruncationReason/depthLimit``.
    public init(logger: Logger, maximumProcesses: Int = 256, maximumDepth: Int = 256) {
        self.logger = logger
        self.maximumProcesses = max(1, maximumProcesses)
        self.maximumDepth = max(1, maximumDepth)
        self.vdso = VDSOImage()
        if vdso == nil {
            logger.debug("no vDSO image in this process: samples in [vdso] will not unwind")
        }
    }

    /// Unwinds one sample of process `pid`.
    ///
    /// - Parameters:
    ///   - pid: the process; with `maps`, the key of its cached state.
    ///   - maps: its mappings as captured; modules are reported from them, never from `/proc/PID`.
    ///   - registers: ``registerCount`` values in DWARF x86-64 order.
    ///   - stack: the stack bytes copied from address `registers[7]` upward; read only during this call.
    /// - Returns: the frames found, leaf first, and whether they reach the outermost frame. Never fails: a stack
    ///   that could not be unwound is truncated, with its reason, after the frames that were found.
    public func unwind(pid: Int32, maps: ProcessMaps, registers: [UInt64], stack: UnsafeRawBufferPointer)
        -> UnwoundStack
    {
        counters.unwinds += 1
        let instructionPointer = registers.count == Self.registerCount ? registers[Int(CLibdw_UNWIND_REGISTER_IP)] : 0
        guard instructionPointer != 0, registers[Int(CLibdw_UNWIND_REGISTER_SP)] != 0 else {
            let frames = instructionPointer != 0 ? [ProcessAddress(instructionPointer)] : []
            return record(UnwoundStack(frames: frames, outcome: .truncated(.invalidRegisters)))
        }
        guard let process = process(pid: pid, maps: maps) else {
            return record(
                UnwoundStack(frames: [ProcessAddress(instructionPointer)], outcome: .truncated(.unwindError)))
        }
        let (unwound, error) = registers.withUnsafeBufferPointer {
            process.walk(registers: $0, stack: stack, maximumDepth: maximumDepth)
        }
        if let error {
            logger.debug(
                "unwinding stopped on a libdw error",
                metadata: ["pid": "\(pid)", "frames": "\(unwound.frames.count)", "error": "\(error)"])
        }
        return record(unwound)
    }

    /// Drops the cached state of `pid` (the process exited), closing its files.
    public func forget(pid: Int32) {
        processes.removeValue(forKey: pid)
    }

    /// Counters since creation, and the current cache size.
    public var statistics: UnwinderStatistics {
        var statistics = counters
        statistics.cachedProcesses = processes.count
        statistics.approximateMemoryBytes = processes.values.reduce(0) { $0 + $1.approximateMemoryBytes }
        return statistics
    }

    private func record(_ stack: UnwoundStack) -> UnwoundStack {
        switch stack.outcome {
        case .complete: counters.complete += 1
        case .truncated(let reason): counters.truncatedByReason[reason, default: 0] += 1
        }
        return stack
    }

    /// The cached state for `pid`, built (or rebuilt, when `maps` yields other modules) as needed; nil when libdw
    /// cannot build it.
    private func process(pid: Int32, maps: ProcessMaps) -> ProcessUnwinder? {
        useClock += 1
        if let cached = processes[pid] {
            if cached.matches(maps, vdsoSize: vdso?.size) {
                cached.lastUse = useClock
                return cached
            }
            processes.removeValue(forKey: pid)
            counters.rebuilds += 1
            logger.debug("maps changed: rebuilding unwinding state", metadata: ["pid": "\(pid)"])
        } else if processes.count >= maximumProcesses {
            evictLeastRecentlyUsed()
        }

        let modules = UnwindModule.modules(of: maps, vdsoSize: vdso?.size)
        do throws(ProcessUnwinder.SetupFailure) {
            let process = try ProcessUnwinder(pid: pid, maps: maps, modules: modules, vdso: vdso)
            process.lastUse = useClock
            processes[pid] = process
            logger.debug("built unwinding state", metadata: ["pid": "\(pid)", "modules": "\(modules.count)"])
            return process
        } catch {
            logger.debug(
                "cannot build unwinding state", metadata: ["pid": "\(pid)", "error": "\(error.message)"])
            return nil
        }
    }

    private func evictLeastRecentlyUsed() {
        guard let victim = processes.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return }
        processes.removeValue(forKey: victim.key)
        counters.evictions += 1
        logger.debug("evicted unwinding state", metadata: ["pid": "\(victim.key)"])
    }
}
