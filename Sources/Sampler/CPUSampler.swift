import BPFRuntime
internal import CProfilerABI
import Glibc
import Logging

/// Samples stacks on every online CPU with the embedded BPF program until `stop()` or deinit.
///
/// Lifetime: sampling starts in `init` and stops in `stop()` (idempotent) or deinit. The maps stay readable after
/// `stop()` until the sampler is released, so a final `drain()` sees every sample. Not thread-safe: one owner.
///
/// The program records into one of two map sets (stacks + counts). A one-shot recording reads both at the end; a
/// continuous agent calls `flip()` each window and drains the set that went idle (`drain(set:clearing:)`), so no
/// sample is lost while it reads.
public final class CPUSampler {
    public let configuration: SamplerConfiguration
    let object: BPFObject
    let stacks: [BPFMap]
    let counts: [BPFMap]
    let control: BPFMap
    let counterMap: BPFMap
    let framePointerComplete: BPFMap
    let knownPIDs: BPFMap
    var snapshotReader: BPFRingBuffer?
    var pendingSnapshots: [StackSnapshot] = []
    var newPIDReader: BPFRingBuffer?
    var pendingPIDs: [Int32] = []
    /// Stacks already read, per set; emptied when the set is cleared (its ids are then reused).
    var stackCaches: [[Int32: StackTrace]] = [[:], [:]]
    /// The set the program records into now.
    public private(set) var activeSet = 0
    var links: [BPFLink] = []
    let logger: Logger

    /// Checks privileges, loads the program with `configuration` and attaches it to a cpu-clock event per CPU.
    public init(configuration: SamplerConfiguration, logger: Logger) throws(BPFError) {
        if let problem = configuration.problem {
            throw BPFError(.loadFailed, "invalid sampler configuration: \(problem)")
        }
        try Privileges.requireProfilingCapabilities()
        try Privileges.requireKernelBTF()
        self.configuration = configuration
        self.logger = logger

        let object = try BPFObject(bytes: EmbeddedBPF.profilerObject, name: "profiler")
        try object.setGlobal("config", to: configuration.abiConfig)
        self.object = object
        stacks = [try object.map(named: "stacks_0"), try object.map(named: "stacks_1")]
        counts = [try object.map(named: "counts_0"), try object.map(named: "counts_1")]
        control = try object.map(named: "control")
        counterMap = try object.map(named: "counters")
        framePointerComplete = try object.map(named: "fp_complete")
        knownPIDs = try object.map(named: "known_pids")
        try object.map(named: "scratch").setMaxEntries(BPFMap.possibleCPUs)
        let snapshotMap = try object.map(named: "snapshots")
        try snapshotMap.setMaxEntries(configuration.ringBufferBytes)
        for set in 0..<2 {
            try stacks[set].setValueSize(configuration.maxStackDepth * MemoryLayout<UInt64>.size)
            try stacks[set].setMaxEntries(configuration.stackMapEntries)
            try counts[set].setMaxEntries(configuration.countsMapEntries)
        }
        try object.load()
        if configuration.unwind != .fp {
            snapshotReader = try BPFRingBuffer(map: snapshotMap) { [unowned self] record in
                if let snapshot = Self.decodeSnapshot(record) { self.pendingSnapshots.append(snapshot) }
            }
        }

        newPIDReader = try BPFRingBuffer(map: try object.map(named: "new_pids")) { [unowned self] record in
            guard record.count >= MemoryLayout<UInt32>.size else { return }
            self.pendingPIDs.append(Int32(bitPattern: record.loadUnaligned(as: UInt32.self)))
        }

        let program = try object.program(named: "scorch_sample")
        let cpus = PerfEvent.onlineCPUs()
        for cpu in cpus {
            let event = try PerfEvent(cpuClockOn: cpu, frequency: configuration.frequency)
            links.append(try program.attach(to: event))
        }
        logger.debug(
            "sampling started",
            metadata: ["cpus": "\(cpus.count)", "frequency": "\(configuration.frequency)",
                       "pids": "\(configuration.targetPIDs)"])
    }

    deinit {
        links.removeAll()
    }

    /// Stops sampling; the maps keep what was recorded.
    public func stop() {
        links.removeAll()
    }

    public var isSampling: Bool { !links.isEmpty }

    /// Processes sampled for the first time (or for the first time since `forgetProcess`) since the last call, in
    /// the order the program announced them. Cheap: it reads a small ring buffer, never the counts maps.
    public func newProcesses() throws(BPFError) -> [Int32] {
        guard let newPIDReader else { return [] }
        try newPIDReader.consume()
        defer { pendingPIDs.removeAll(keepingCapacity: true) }
        return pendingPIDs
    }

    /// Forgets what the program knows of an exited process, so a new process that reuses its pid is announced by
    /// `newProcesses()` again and starts on the DWARF path in auto mode.
    public func forgetProcess(_ pid: Int32) throws(BPFError) {
        let key = bytes(of: UInt32(bitPattern: pid))
        _ = try knownPIDs.delete(key: key)
        _ = try framePointerComplete.delete(key: key)
    }

    /// Every aggregated sample recorded so far in both sets, without clearing (a one-shot recording's final read).
    public func drain() throws(BPFError) -> [RawSample] {
        try drain(set: 0, clearing: false) + drain(set: 1, clearing: false)
    }

    /// Makes the program record into the other set from now on, and returns the set that went idle.
    ///
    /// A sample being recorded on another CPU at this moment may still land in the old set: wait a little (a BPF
    /// program runs for microseconds; `settle` sleeps 10 ms) before draining it.
    @discardableResult
    public func flip(settle: Bool = true) throws(BPFError) -> Int {
        let idle = activeSet
        activeSet = 1 - activeSet
        try control.update(key: bytes(of: 0), value: bytes(of: UInt32(activeSet)))
        if settle { sleepUninterrupted(.milliseconds(10)) }
        return idle
    }

    /// Every aggregated sample in `set`, with its stacks; with `clearing`, the set is emptied afterwards (do that
    /// only for the idle set, after `flip()`).
    public func drain(set: Int, clearing: Bool) throws(BPFError) -> [RawSample] {
        precondition(set == 0 || set == 1, "there are two map sets")
        var samples: [RawSample] = []
        let keys = try counts[set].keys()
        for key in keys {
            guard let bytes = try counts[set].lookup(key: key) else { continue }
            let value = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            guard value > 0 else { continue }
            let decoded = Self.decodeKey(key)
            let user = try stack(decoded.userStackID, set: set)
            let kernel = try stack(decoded.kernelStackID, set: set)
            samples.append(
                RawSample(pid: decoded.pid, tid: decoded.tid, comm: decoded.comm, userStack: user, kernelStack: kernel,
                          count: value))
        }
        if clearing {
            for key in keys { try counts[set].delete(key: key) }
            for key in try stacks[set].keys() { try stacks[set].delete(key: key) }
            stackCaches[set].removeAll(keepingCapacity: true)
        }
        return samples
    }

    /// Hands every snapshot waiting in the ring buffer to `body`, with its frame-pointer and kernel stacks resolved.
    /// Returns how many there were. Call it often enough that the ring buffer does not fill (losses are counted).
    @discardableResult
    public func drainSnapshots(_ body: (StackSnapshot) -> Void) throws(BPFError) -> Int {
        guard let snapshotReader else { return 0 }
        try snapshotReader.consume()
        let batch = pendingSnapshots
        pendingSnapshots.removeAll(keepingCapacity: true)
        for var snapshot in batch {
            if case .lost(.missing) = snapshot.framePointerStack, let id = snapshot.pendingFramePointerID {
                snapshot.framePointerStack = try stack(id, set: snapshot.stackSet)
            }
            if case .lost(.missing) = snapshot.kernelStack, let id = snapshot.pendingKernelID {
                snapshot.kernelStack = try stack(id, set: snapshot.stackSet)
            }
            body(snapshot)
        }
        return batch.count
    }

    /// Sends `pid`'s samples through the cheap frame-pointer path from now on (auto mode).
    public func markFramePointerComplete(_ pid: Int32) throws(BPFError) {
        try framePointerComplete.update(key: bytes(of: UInt32(bitPattern: pid)), value: [1])
    }

    /// The program's counters summed over CPUs.
    public func counters() throws(BPFError) -> SamplerCounters {
        var totals = [UInt64](repeating: 0, count: SamplerCounters.count)
        for index in 0..<SamplerCounters.count {
            if let perCPU = try counterMap.lookupPerCPU(key: bytes(of: UInt32(index))) {
                totals[index] = perCPU.reduce(0, &+)
            }
        }
        return SamplerCounters(totals: totals)
    }

    /// Reads one stack of `set` by id (cached until the set is cleared; a stack map never gives an id to another
    /// stack before that); negative ids are the errors bpf_get_stackid returned.
    func stack(_ id: Int32, set: Int) throws(BPFError) -> StackTrace {
        if id < 0 {
            switch -id {
            case EFAULT: return .absent
            case EEXIST: return .lost(.collision)
            case ENOMEM: return .lost(.mapFull)
            default: return .lost(.other)
            }
        }
        if let cached = stackCaches[set][id] { return cached }
        let trace: StackTrace
        if let value = try stacks[set].lookup(key: bytes(of: UInt32(bitPattern: id))) {
            // Shorter stacks are zero-terminated.
            let frames = value.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self).prefix(while: { $0 != 0 })) }
            trace = frames.isEmpty ? .lost(.missing) : .frames(frames)
        } else {
            trace = .lost(.missing)
        }
        stackCaches[set][id] = trace
        return trace
    }

    /// Decodes one ring-buffer record; nil for a record too short to be a snapshot.
    static func decodeSnapshot(_ record: UnsafeRawBufferPointer) -> StackSnapshot? {
        let header = MemoryLayout<scorch_snapshot_header>.size
        guard record.count >= header else { return nil }
        var raw = scorch_snapshot_header()
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: record[..<header])) }
        let size = min(Int(raw.stack_size), record.count - header)
        let registers = withUnsafeBytes(of: raw.regs) { Array($0.bindMemory(to: UInt64.self)) }
        let comm = withUnsafeBytes(of: raw.comm) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        var snapshot = StackSnapshot(
            pid: Int32(bitPattern: raw.pid), tid: Int32(bitPattern: raw.tid), comm: comm,
            framePointerStack: .lost(.missing), kernelStack: .lost(.missing), registers: registers,
            stack: Array(record[header..<(header + size)]), isShort: size < Int(raw.stack_size) || raw.stack_size == 0,
            fromKernelMode: raw.flags & UInt32(SCORCH_SNAPSHOT_FROM_KERNEL_MODE) != 0)
        snapshot.stackSet = raw.stack_set == 1 ? 1 : 0
        snapshot.pendingFramePointerID = raw.user_stack_id
        snapshot.pendingKernelID = raw.kernel_stack_id
        return snapshot
    }

    func bytes(of key: UInt32) -> [UInt8] {
        withUnsafeBytes(of: key) { Array($0) }
    }

    struct DecodedKey {
        var pid: Int32
        var tid: Int32
        var comm: String
        var userStackID: Int32
        var kernelStackID: Int32
    }

    static func decodeKey(_ bytes: [UInt8]) -> DecodedKey {
        var key = scorch_sample_key()
        withUnsafeMutableBytes(of: &key) { destination in
            bytes.withUnsafeBytes { destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(destination.count))) }
        }
        let comm = withUnsafeBytes(of: key.comm) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return DecodedKey(
            pid: Int32(bitPattern: key.pid), tid: Int32(bitPattern: key.tid), comm: comm,
            userStackID: key.user_stack_id, kernelStackID: key.kernel_stack_id)
    }
}
