import Glibc
import Logging
import Symbolizer

/// What is known about each sampled process, captured when it is first seen so a process that exits before the
/// recording ends can still be symbolized and labelled.
///
/// Not thread-safe: one owner.
public final class ProcessCatalog {
    public struct Process: Sendable {
        public var pid: Int32
        /// The process's name (/proc/PID/comm of its main thread) when first seen.
        public var comm: String?
        /// The executable's path when first seen.
        public var executable: String?
        public var maps: ProcessMaps?
    }

    let procRoot: String
    let logger: Logger
    public private(set) var processes: [Int32: Process] = [:]
    /// Pids whose maps were re-read because an address fell outside every known mapping.
    var refreshed: Set<Int32> = []

    public init(procRoot: String = "/proc", logger: Logger) {
        self.procRoot = procRoot
        self.logger = logger
    }

    /// Records `pid`'s maps, name and executable unless already known. A process that is gone is remembered as such.
    public func observe(_ pid: Int32) {
        guard pid > 0, processes[pid] == nil else { return }
        processes[pid] = snapshot(pid)
    }

    /// The mapping holding `address` in `pid`; re-reads the maps once per pid when the address is in none of them
    /// (a library loaded or an exec after the first look).
    func mapping(pid: Int32, containing address: ProcessAddress) -> MemoryMapping? {
        observe(pid)
        if let found = processes[pid]?.maps?.mapping(containing: address) { return found }
        guard !refreshed.contains(pid) else { return nil }
        refreshed.insert(pid)
        let fresh = snapshot(pid)
        if fresh.maps != nil { processes[pid] = fresh }
        return processes[pid]?.maps?.mapping(containing: address)
    }

    func process(_ pid: Int32) -> Process? {
        processes[pid]
    }

    private func snapshot(_ pid: Int32) -> Process {
        var process = Process(pid: pid)
        do {
            process.maps = try ProcessMaps(pid: pid, procRoot: procRoot)
        } catch {
            logger.debug("cannot read maps", metadata: ["pid": "\(pid)", "error": "\(error)"])
        }
        process.comm = readLine("\(procRoot)/\(pid)/comm")
        process.executable = readLink("\(procRoot)/\(pid)/exe")
        return process
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
