/// One line of `/proc/PID/maps`: a range of a process's address space and what backs it.
public struct MemoryMapping: Hashable, Sendable {
    /// First address of the range (inclusive).
    public var start: ProcessAddress
    /// One past the last address of the range (exclusive).
    public var end: ProcessAddress
    /// Offset in the backing file that `start` maps; zero for anonymous mappings.
    public var fileOffset: FileOffset
    /// Four characters such as `"r-xp"`: read, write, execute, then `p` (private) or `s` (shared).
    public var permissions: String
    /// Device as `major:minor` in hexadecimal, e.g. `"fd:01"`; `"00:00"` for anonymous mappings.
    public var device: String
    /// Inode of the backing file; zero for anonymous mappings.
    public var inode: UInt64
    /// The backing file's path as the kernel reports it: `""` for anonymous memory, a pseudo-path in
    /// brackets (`"[vdso]"`, `"[heap]"`, `"[stack]"`), or an absolute path that may end in `" (deleted)"`.
    public var path: String

    /// Creates a mapping; `start` must not be above `end`.
    public init(
        start: ProcessAddress, end: ProcessAddress, fileOffset: FileOffset, permissions: String,
        device: String, inode: UInt64, path: String
    ) {
        self.start = start
        self.end = end
        self.fileOffset = fileOffset
        self.permissions = permissions
        self.device = device
        self.inode = inode
        self.path = path
    }

    /// Whether the third permission character is `x`.
    public var isExecutable: Bool {
        let characters = Array(permissions.utf8)
        return characters.count >= 3 && characters[2] == UInt8(ascii: "x")
    }

    /// Whether a file backs this mapping (its path is absolute), deleted or not.
    public var isFileBacked: Bool { path.hasPrefix("/") }

    /// Whether the backing file was deleted (or replaced) after it was mapped. Its path no longer names it; the
    /// mapped file stays readable as `/proc/PID/map_files/START-END` (root only).
    public var isDeleted: Bool { isFileBacked && path.hasSuffix(Self.deletedSuffix) }

    /// ``path`` without a trailing `" (deleted)"`.
    public var pathWithoutDeletedSuffix: String {
        isDeleted ? String(path.dropLast(Self.deletedSuffix.count)) : path
    }

    /// The size of the range in bytes.
    public var size: UInt64 { end.rawValue - start.rawValue }

    /// Whether `address` lies in `[start, end)`.
    public func contains(_ address: ProcessAddress) -> Bool {
        start <= address && address < end
    }

    /// The offset in the backing file that `address` maps: `fileOffset + (address - start)`.
    ///
    /// Meaningful only for an `address` this mapping ``contains(_:)``; addresses below `start` give `fileOffset`.
    public func fileOffset(of address: ProcessAddress) -> FileOffset {
        let delta = address.rawValue >= start.rawValue ? address.rawValue - start.rawValue : 0
        return FileOffset(fileOffset.rawValue &+ delta)
    }

    static let deletedSuffix = " (deleted)"
}
