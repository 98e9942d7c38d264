import Glibc
import Logging
import Symbolizer
import Synchronization

/// What is known about each sampled process, captured when it is first seen so a process that exits before the
/// recording ends can still be symbolized and labelled.
///
/// A process's maps can change while it is sampled (exec, dlopen): each distinct set of maps is kept as a
/// generation, so samples taken before an exec resolve against the maps they were taken with.
///
/// Thread-safe: the sampling thread adds processes and unwinds against them while the symbolizing thread resolves
/// addresses. /proc is read outside the lock.
public final class ProcessCatalog: Sendable {
    /// One set of maps of a process, with the name and executable it had then.
    public struct Generation: Sendable {
        public var maps: ProcessMaps?
        /// The process's name (/proc/PID/comm of its main thread).
        public var comm: String?
        /// The executable's path.
        public var executable: String?
    }

    struct State {
        /// Generations per pid, oldest first; never empty for a known pid.
        var processes: [Int32: [Generation]] = [:]
        /// Pids whose maps were re-read because an address of a frame-pointer sample was in none of them.
        var refreshed: Set<Int32> = []
    }

    let procRoot: String
    let logger: Logger
    private let state = Mutex(State())

    public init(procRoot: String = "/proc", logger: Logger) {
        self.procRoot = procRoot
        self.logger = logger
    }

    /// The known processes.
    var pids: [Int32] {
        state.withLock { Array($0.processes.keys) }
    }

    /// The generations of `pid`, oldest first; nil for an unknown pid.
    public func generations(of pid: Int32) -> [Generation]? {
        state.withLock { $0.processes[pid] }
    }

    /// Records `pid`'s maps, name and executable unless already known. A process that is gone is remembered as such.
    public func observe(_ pid: Int32) {
        guard pid > 0, generations(of: pid) == nil else { return }
        let first = read(pid)
        state.withLock { state in
            if state.processes[pid] == nil { state.processes[pid] = [first] }
        }
    }

    /// Forgets `pid` (it exited and nothing refers to it any more).
    func forget(_ pid: Int32) {
        state.withLock { state in
            state.processes[pid] = nil
            state.refreshed.remove(pid)
        }
    }

    /// The newest maps of `pid` and their generation, re-read when `address` (e.g. a snapshot's instruction
    /// pointer) is in no executable mapping of them: the process exec'd or loaded code since.
    func maps(for pid: Int32, covering address: ProcessAddress) -> (maps: ProcessMaps, generation: Int)? {
        observe(pid)
        guard let generations = generations(of: pid) else { return nil }
        let newest = generations.count - 1
        if let maps = generations[newest].maps, maps.mapping(containing: address)?.isExecutable == true {
            return (maps, newest)
        }
        let (latest, maps) = refresh(pid)
        return maps.map { ($0, latest) }
    }

    /// The mapping holding `address` in `pid`: in `generation` when given; otherwise the newest generation that has
    /// one, re-reading the maps once per pid when none does.
    func mapping(pid: Int32, containing address: ProcessAddress, generation: Int? = nil) -> MemoryMapping? {
        observe(pid)
        guard let generations = generations(of: pid) else { return nil }
        if let generation, generations.indices.contains(generation) {
            return generations[generation].maps?.mapping(containing: address)
        }
        for candidate in generations.reversed() {
            if let found = candidate.maps?.mapping(containing: address) { return found }
        }
        guard state.withLock({ $0.refreshed.insert(pid).inserted }) else { return nil }
        return refresh(pid).maps?.mapping(containing: address)
    }

    /// The generation a sample belongs to, for its labels: `generation` when given; otherwise the newest one whose
    /// name is the sampled thread's `comm` (a thread's name is usually its process's), else the newest.
    func generation(pid: Int32, generation: Int?, threadComm: String) -> Generation? {
        guard let generations = generations(of: pid) else { return nil }
        if let generation, generations.indices.contains(generation) { return generations[generation] }
        return generations.last(where: { $0.comm == threadComm }) ?? generations.last
    }

    /// Re-reads `pid`'s maps; appends a generation when they differ from the newest. Returns the newest generation's
    /// index and maps.
    private func refresh(_ pid: Int32) -> (index: Int, maps: ProcessMaps?) {
        let fresh = read(pid)
        let (index, maps, added) = state.withLock { state -> (Int, ProcessMaps?, Bool) in
            var generations = state.processes[pid] ?? []
            var added = false
            if let maps = fresh.maps, maps.mappings != generations.last?.maps?.mappings {
                generations.append(fresh)
                state.processes[pid] = generations
                added = true
            }
            return (max(0, generations.count - 1), generations.last?.maps, added)
        }
        if added { logger.debug("maps changed", metadata: ["pid": "\(pid)", "generation": "\(index)"]) }
        return (index, maps)
    }

    private func read(_ pid: Int32) -> Generation {
        var generation = Generation()
        do {
            generation.maps = try ProcessMaps(pid: pid, procRoot: procRoot)
        } catch {
            logger.debug("cannot read maps", metadata: ["pid": "\(pid)", "error": "\(error)"])
        }
        generation.comm = readLine("\(procRoot)/\(pid)/comm")
        generation.executable = readLink("\(procRoot)/\(pid)/exe")
        return generation
    }

    private func readLine(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return line.hasSuffix("\n") ? String(line.dropLast()) : line
    }

    private func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
