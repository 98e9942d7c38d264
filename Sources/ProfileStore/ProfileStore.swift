import Logging
import ProfileModel
import Synchronization

/// The embedded, crash-safe profile store: append-only segment files of zstd-compressed blocks, one block per
/// profiling window (or per compacted span), compressed with dictionaries that hold the symbol tables of recent
/// windows and are stored (twice) in the segment of their blocks. The on-disk format is specified in
/// storage/FORMAT.md.
///
/// ## Durability
/// When ``append(_:start:end:)`` returns, the window's block has been written and `fsync`ed (and so has the directory
/// entry of a newly created segment): it survives `kill -9` and power loss. A crash at any moment loses at most the
/// block being written; the next writer to open the store finds the torn tail, truncates it and reports it.
///
/// ## Writers and readers
/// One writer per directory: a writable store takes an exclusive `flock` on `<directory>/lock` and a second writer
/// (in any process) gets ``StoreError/Code/locked``. Any number of read-only stores (``StoreOptions/readOnly``) may
/// open the same directory without the lock, e.g. `scorch query` while the agent runs; each read rescans the
/// directory for new blocks and segments, stops at the first incomplete block, and never modifies a file.
///
/// ## Concurrency
/// `ProfileStore` is a `Sendable` class whose methods are synchronous and safe to call from any thread or task, so
/// a synchronous agent loop and an async HTTP server can share one instance. Locks are only ever nested in the order
/// append → writer → index (and dictionary cache alone):
/// - the append lock serializes appends: it guards the ``DictionaryPlanner`` while a window is encoded and
///   compressed against the current dictionary, outside the writer lock;
/// - the writer lock guards the open segment: the `pwrite` and `fsync` of appends, seals and deletions;
/// - the index lock guards the in-memory index and is held only for short, in-memory updates and snapshots;
/// - the maintenance lock serializes ``compact(now:)`` and ``enforceRetention(now:)``, which read, merge and encode
///   without the other locks and then swap files and index entries in short critical sections;
/// - the dictionary cache lock guards the decompression dictionaries readers keep.
/// Readers snapshot the index and read through file descriptors they keep, so a segment that maintenance replaces
/// or deletes meanwhile stays readable until the read is done.
public final class ProfileStore: Sendable {
    /// The store directory, as given (without a trailing slash).
    public let directory: String
    /// The options the store was opened with.
    public let options: StoreOptions

    let logger: Logger
    let segmentsPath: String
    let writerLock: WriterLock?
    let writer: Mutex<WriterState>
    let index: Mutex<IndexState>
    let maintenance: Mutex<MaintenanceState>
    /// Serializes appends, which encode against the current dictionary; taken before the writer lock.
    let appending: Mutex<DictionaryPlanner>
    /// Decompression dictionaries of recently read blocks.
    let dictionaryCache: Mutex<DictionaryCache>

    /// Opens (and, unless read-only, creates) the store in `directory`.
    ///
    /// A writable open takes the writer lock, removes temporary files of interrupted maintenance, deletes segments
    /// that a completed rewrite superseded, verifies every block of the last segment and truncates a torn tail.
    /// Damaged blocks elsewhere are reported (logged and counted in ``statistics``) and skipped.
    ///
    /// - Throws: ``StoreError`` when the options are invalid, the directory cannot be created or read, another writer
    ///   holds the lock, or a segment has an unsupported format version.
    public init(directory: String, options: StoreOptions = StoreOptions(), logger: Logger) throws(StoreError) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.directory = trimmed
        self.options = options
        self.logger = logger
        segmentsPath = trimmed + "/" + StorageFormat.segmentsDirectory
        try Self.validate(options, directory: trimmed)
        if options.readOnly {
            guard FileSystem.isDirectory(trimmed) else {
                throw StoreError(.notFound, "store \(trimmed): no such directory; has the agent written to it yet?")
            }
            writerLock = nil
        } else {
            do {
                try FileSystem.makeDirectory(trimmed)
                try FileSystem.makeDirectory(segmentsPath)
            } catch {
                throw .system(error, store: trimmed, while: "creating the store directory")
            }
            writerLock = try WriterLock(directory: trimmed)
        }
        writer = Mutex(WriterState())
        index = Mutex(IndexState())
        maintenance = Mutex(MaintenanceState())
        appending = Mutex(DictionaryPlanner())
        dictionaryCache = Mutex(DictionaryCache())
        if options.readOnly {
            try refresh()
        } else {
            try recover()
        }
    }

    /// Counters for the agent's metrics; sizes describe the index as of the last open, append or read.
    public var statistics: StoreStatistics {
        index.withLock { $0.currentStatistics() }
    }

    /// Path of the segment file with `id`.
    func segmentPath(_ id: UInt64) -> String {
        segmentsPath + "/" + StorageFormat.segmentFileName(id)
    }

    /// Counts a failed write in the statistics and passes the error on.
    func counted(_ error: StoreError) -> StoreError {
        index.withLock { $0.statistics.writeErrors[error.code, default: 0] += 1 }
        return error
    }

    /// Throws ``StoreError/Code/storeIsReadOnly`` for a write on a read-only store.
    func requireWritable(_ operation: String) throws(StoreError) {
        guard !options.readOnly else {
            throw StoreError(.storeIsReadOnly, "store \(directory): cannot \(operation): the store is open read-only")
        }
    }

    private static func validate(_ options: StoreOptions, directory: String) throws(StoreError) {
        func invalid(_ detail: String) -> StoreError {
            StoreError(.invalidArgument, "store \(directory): invalid options: \(detail)")
        }
        guard options.segmentBytes >= 4096 else { throw invalid("segmentBytes must be at least 4096") }
        guard options.maxBytes > 0 else { throw invalid("maxBytes must be positive") }
        guard options.retention > .zero else { throw invalid("retention must be positive") }
        guard options.compactAfter >= .zero else { throw invalid("compactAfter must not be negative") }
        guard options.compactedResolution.nanoseconds > 0 else {
            throw invalid("compactedResolution must be at least 1 ns")
        }
        if let coarse = options.coarseCompaction {
            guard coarse.after >= options.compactAfter else {
                throw invalid("coarseCompaction.after must be at least compactAfter")
            }
            guard coarse.resolution > options.compactedResolution else {
                throw invalid("coarseCompaction.resolution must be longer than compactedResolution")
            }
        }
        guard Zstd.levels.contains(options.compressionLevel) else {
            throw invalid("compressionLevel \(options.compressionLevel) is outside zstd's \(Zstd.levels)")
        }
        guard !options.sampleTypesWhenEmpty.isEmpty else { throw invalid("sampleTypesWhenEmpty must not be empty") }
    }
}
