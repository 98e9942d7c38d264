import ProfileModel

/// How a ``ProfileStore`` sizes, compresses, compacts and expires its data.
public struct StoreOptions: Sendable {
    /// Windows whose end is older than this (relative to the `now` given to
    /// ``ProfileStore/enforceRetention(now:)``) are deleted. Default 7 days.
    public var retention: Duration = .seconds(7 * 86_400)
    /// Upper bound on the bytes of all segments; the oldest segments are deleted beyond it. Default 1 GiB.
    public var maxBytes: Int = 1 << 30
    /// A segment is sealed and a new one started when the next block would make it larger. Default 64 MiB.
    public var segmentBytes: Int = 64 << 20
    /// zstd level for block payloads. Default 3 (about 270 MB/s here; level 19 is far too slow for streaming).
    public var compressionLevel: Int32 = 3
    /// Windows older than this are merged into coarser blocks by ``ProfileStore/compact(now:)``. Default 1 hour.
    public var compactAfter: Duration = .seconds(3600)
    /// Length of a compacted block: windows are grouped by `floor(start / compactedResolution)`. Default 5 minutes.
    public var compactedResolution: Duration = .seconds(300)
    /// A second, coarser compaction: compacted blocks older than `after` are merged again into blocks of
    /// `resolution`, so that a day of history is a few dozen blocks rather than hundreds and long-range queries read
    /// each recurring row once an hour instead of every 5 minutes. Nil keeps compacted blocks as they are. Default:
    /// 1-hour blocks after 6 hours.
    public var coarseCompaction: CoarseCompaction? = CoarseCompaction()
    /// Open without the writer lock, never modify any file, and see the writer's new data on each read.
    public var readOnly: Bool = false
    /// The format version of the segments the store writes: 2 (dictionaries, compact metadata), or 1 for the golden
    /// test that pins version 1 files. Reading accepts both regardless.
    var formatVersion: UInt16 = StorageFormat.version
    /// Most bytes of a dictionary's context (the rows every block written with it repeats), as estimated by
    /// ``PayloadTables/estimatedBytes`` (about three times the content's size); older rows are left out beyond it.
    /// Larger contexts cover busier hosts (fewer rows per window) at the cost of larger dictionary frames and memory.
    var dictionaryBytes: Int = 4 << 20
    /// Sample types of the empty profile a query returns when the store holds no block at all.
    public var sampleTypesWhenEmpty: [ValueType] = [
        ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds"),
    ]

    public init(
        retention: Duration = .seconds(7 * 86_400),
        maxBytes: Int = 1 << 30,
        segmentBytes: Int = 64 << 20,
        compressionLevel: Int32 = 3,
        compactAfter: Duration = .seconds(3600),
        compactedResolution: Duration = .seconds(300),
        readOnly: Bool = false
    ) {
        self.retention = retention
        self.maxBytes = maxBytes
        self.segmentBytes = segmentBytes
        self.compressionLevel = compressionLevel
        self.compactAfter = compactAfter
        self.compactedResolution = compactedResolution
        self.readOnly = readOnly
    }
}

/// The second compaction tier of ``StoreOptions/coarseCompaction``.
public struct CoarseCompaction: Sendable, Hashable {
    /// Compacted blocks older than this are merged again. At least ``StoreOptions/compactAfter``.
    public var after: Duration
    /// Length of the coarser blocks. Longer than ``StoreOptions/compactedResolution``.
    public var resolution: Duration

    public init(after: Duration = .seconds(6 * 3600), resolution: Duration = .seconds(3600)) {
        self.after = after
        self.resolution = resolution
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingSaturated(attoseconds / 1_000_000_000)
    }
}
