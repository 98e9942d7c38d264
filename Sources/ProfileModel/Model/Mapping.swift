/// A range of a process's address space backed by one object file (an executable, a shared library, `[vdso]`).
///
/// Addresses in ``Location/address`` are absolute (process virtual addresses); subtract ``start`` and add ``offset``
/// to get the file offset inside ``file``.
public struct Mapping: Sendable, Hashable {
    /// Unique nonzero id within a ``Profile``; ``Location/mappingID`` refers to it.
    public var id: UInt64
    /// First address of the range (inclusive).
    public var start: UInt64
    /// End of the range (exclusive).
    public var limit: UInt64
    /// File offset that corresponds to ``start``.
    public var offset: UInt64
    /// Path of the object file, or a pseudo name such as `[vdso]`; empty when unknown.
    public var file: String
    /// Build ID of the object file as lowercase hex, empty when unknown.
    public var buildID: String
    /// Locations in this mapping have function names.
    public var hasFunctions: Bool
    /// Locations in this mapping have source file names.
    public var hasFilenames: Bool
    /// Locations in this mapping have line numbers.
    public var hasLineNumbers: Bool
    /// Locations in this mapping have inlined frames expanded.
    public var hasInlineFrames: Bool

    public init(
        id: UInt64,
        start: UInt64,
        limit: UInt64,
        offset: UInt64,
        file: String,
        buildID: String = "",
        hasFunctions: Bool = false,
        hasFilenames: Bool = false,
        hasLineNumbers: Bool = false,
        hasInlineFrames: Bool = false
    ) {
        self.id = id
        self.start = start
        self.limit = limit
        self.offset = offset
        self.file = file
        self.buildID = buildID
        self.hasFunctions = hasFunctions
        self.hasFilenames = hasFilenames
        self.hasLineNumbers = hasLineNumbers
        self.hasInlineFrames = hasInlineFrames
    }

    /// The last path component of ``file`` (`libc.so.6` for `/usr/lib/libc.so.6`); ``file`` itself if it has none.
    public var basename: String {
        guard let slash = file.lastIndex(of: "/") else { return file }
        let name = file[file.index(after: slash)...]
        return name.isEmpty ? file : String(name)
    }
}
