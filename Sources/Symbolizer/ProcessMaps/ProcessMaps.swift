/// The memory mappings of one process, as read from `/proc/PID/maps` at one moment.
///
/// A snapshot: mappings added or removed afterwards (`dlopen`, `munmap`) are not seen; read it again.
public struct ProcessMaps: Sendable {
    /// The process the maps were read for.
    public let pid: Int32
    /// Every mapping, sorted by `start`, non-overlapping.
    public let mappings: [MemoryMapping]

    /// Reads `procRoot/PID/maps`.
    ///
    /// - Parameter procRoot: the procfs mount; tests pass a directory holding a fake `PID/maps` file.
    /// - Throws: ``SymbolizerError/Code/fileUnreadable`` (e.g. the process exited: `ENOENT`, or no permission:
    ///   `EACCES`), or ``SymbolizerError/Code/malformedMaps``.
    public init(pid: Int32, procRoot: String = "/proc") throws(SymbolizerError) {
        let path = "\(procRoot)/\(pid)/maps"
        let text = try FileReader.readText(path: path, purpose: "process maps")
        try self.init(pid: pid, mapsText: text)
    }

    /// Parses the text of a `maps` file.
    ///
    /// Lines must look like `start-end perms offset dev inode [path]` with hexadecimal addresses and offset;
    /// empty lines are skipped.
    /// - Throws: ``SymbolizerError/Code/malformedMaps`` naming the first bad line.
    public init(pid: Int32, mapsText: String) throws(SymbolizerError) {
        var mappings: [MemoryMapping] = []
        var lineNumber = 0
        for line in mapsText.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " }) { continue }
            guard let mapping = MapsLineParser.parse(line) else {
                throw SymbolizerError(
                    code: .malformedMaps,
                    message:
                        "line \(lineNumber) of the maps of process \(pid) is not 'start-end perms offset dev inode "
                        + "path': \(line.prefix(120))")
            }
            mappings.append(mapping)
        }
        if !mappings.isSorted(by: { $0.start <= $1.start }) {
            mappings.sort { $0.start < $1.start }
        }
        self.pid = pid
        self.mappings = mappings
    }

    /// The mapping whose `[start, end)` contains `address`, or nil (a gap, or outside every mapping).
    ///
    /// O(log n): binary search on the sorted ``mappings``.
    public func mapping(containing address: ProcessAddress) -> MemoryMapping? {
        // The first mapping whose start is above `address`; the one before it is the candidate.
        let low = mappings.partitioningIndex { $0.start > address }
        guard low > 0 else { return nil }
        let candidate = mappings[low - 1]
        return candidate.contains(address) ? candidate : nil
    }
}

extension Array {
    fileprivate func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        zip(self, dropFirst()).allSatisfy { areInIncreasingOrder($0, $1) }
    }
}
