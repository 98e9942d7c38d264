public import Logging

/// Symbolizes file offsets in ELF binaries (executables and shared objects) through libdw.
///
/// Binaries are cached by file identity: `stat(2)`'s device, inode, size and modification time. The same file
/// reached through different paths (hard links, `/proc/PID/root/…`) shares one entry; a file replaced or
/// rewritten gets a new one. Each cached binary holds one offline libdw `Dwfl` (an open file descriptor, the ELF
/// and DWARF data libdw loaded) plus indexes built on first use: its code symbols sorted by address, its
/// compilation units by address range, and per unit used, a tree of functions and inlined calls. Lookups are
/// O(log n) after that, never a scan. At most `maximumOpenBinaries` binaries are kept, least recently used first
/// out. Failures to open a file that exists (not ELF) are cached the same way; files that cannot be read are
/// retried on each call. Results are cached per (binary, offset), at most `maximumCachedResults` in all; when
/// that fills, every result cache is emptied and refills.
///
/// Separate debug files are found by build ID under `/usr/lib/debug/.build-id/`, or by `.gnu_debuglink` name.
/// libdw consults debuginfod only when `DEBUGINFOD_URLS` is set in the environment, which can block on the
/// network: leave it unset for a profiler.
///
/// Not thread-safe, and not `Sendable`: one owner (one task or thread) uses it at a time. `deinit` closes every
/// file and frees all libdw state.
public final class ELFSymbolizer {
    private let logger: Logger
    private let maximumOpenBinaries: Int
    private let maximumCachedResults: Int

    private var entries: [FileIdentity: Entry] = [:]
    private var cachedResultCount = 0
    private var useClock: UInt64 = 0
    /// Counts calls of `closeIdleBinaries`.
    private var period: UInt64 = 0

    /// One cached file: an open binary with its results, or the reason it cannot be opened. A binary closed by
    /// `closeIdleBinaries` keeps its results and info and is opened again (from `path`) on its next new offset.
    private final class Entry {
        let path: String
        /// The file's size: what libdw may map and read of it, a proxy for the memory an open binary holds.
        let bytes: Int64
        var binary: ELFBinary?
        let failure: ELFBinary.OpenFailure?
        var results: [FileOffset: Symbolization] = [:]
        var info: BinaryInfo?
        var lastUse: UInt64 = 0
        var lastPeriod: UInt64 = 0

        init(path: String, bytes: Int64, binary: ELFBinary) {
            self.path = path
            self.bytes = bytes
            self.binary = binary
            self.failure = nil
        }

        init(path: String, bytes: Int64, failure: ELFBinary.OpenFailure) {
            self.path = path
            self.bytes = bytes
            self.binary = nil
            self.failure = failure
        }
    }

    /// Creates an empty symbolizer.
    ///
    /// - Parameters:
    ///   - logger: receives debug messages about files opened and failures; nothing is logged per address.
    ///   - maximumOpenBinaries: binaries kept open at once (each holds a file descriptor and parsed DWARF).
    ///   - maximumCachedResults: symbolized offsets remembered across all binaries.
    public init(logger: Logger, maximumOpenBinaries: Int = 128, maximumCachedResults: Int = 200_000) {
        self.logger = logger
        self.maximumOpenBinaries = max(1, maximumOpenBinaries)
        self.maximumCachedResults = max(0, maximumCachedResults)
    }

    /// What the binary at `path` offers: build ID, symbols, DWARF, inline information.
    ///
    /// The first call per binary may read all of its DWARF (to look for inlined calls); the answer is cached.
    /// - Returns: `.failure` with ``SymbolizerError/Code/fileUnreadable`` or ``SymbolizerError/Code/notELF``.
    public func binaryInfo(path: String) -> Result<BinaryInfo, SymbolizerError> {
        let entry: Entry
        switch resolve(path: path) {
        case .success(let resolved): entry = resolved
        case .failure(let error): return .failure(error)
        }
        if let info = entry.info { return .success(info) }
        guard let binary = open(entry) else {
            return .failure(
                entry.failure?.error ?? SymbolizerError(code: .notELF, message: "\(path) is not an ELF file"))
        }
        let hasDebugInfo = binary.hasDebugInfo
        let info = BinaryInfo(
            buildID: binary.buildID, hasSymbols: binary.hasFunctionSymbols, hasDebugInfo: hasDebugInfo,
            hasInlineInfo: hasDebugInfo && binary.hasInlinedSubroutines)
        entry.info = info
        return .success(info)
    }

    /// The frames at `offset` in the file at `path`, or why there are none.
    ///
    /// `offset` is a file offset (see ``MemoryMapping/fileOffset(of:)``); callers adjust return addresses of
    /// non-leaf frames (minus one) before converting. Never throws: every failure is an ``UnknownReason``.
    public func symbolize(path: String, offset: FileOffset) -> Symbolization {
        switch resolve(path: path) {
        case .success(let entry): symbolize(entry: entry, offset: offset)
        case .failure(let error): .unknown(Self.reason(for: error))
        }
    }

    /// The frames at each of `offsets` in the file at `path`, in the same order; partial failure is data.
    ///
    /// The file is looked up once for the whole batch.
    public func symbolize(path: String, offsets: [FileOffset]) -> [Symbolization] {
        switch resolve(path: path) {
        case .success(let entry):
            return offsets.map { symbolize(entry: entry, offset: $0) }
        case .failure(let error):
            return Array(repeating: .unknown(Self.reason(for: error)), count: offsets.count)
        }
    }

    /// Forgets every binary and result (closing files), e.g. after processes exited.
    public func removeAll() {
        entries.removeAll()
        cachedResultCount = 0
    }

    /// Binaries open now (each holding a file descriptor and what libdw loaded of it).
    public var openBinaryCount: Int { entries.values.reduce(0) { $0 + ($1.binary == nil ? 0 : 1) } }

    /// Ends a period (e.g. a profiling window) and closes the binaries not used in the last `idlePeriods` periods,
    /// then least recently used ones until at most `maximumOpen` stay open and their files add up to at most
    /// `maximumOpenBytes` (the most recently used one always stays). Their symbolized offsets stay cached; a closed
    /// binary is opened again when a new offset in it must be symbolized. libdw's data for a big binary (symbol
    /// tables, decompressed debug sections, indexes) can weigh tens of MB, so a long-running caller bounds its
    /// memory this way.
    ///
    /// - Returns: how many binaries were closed (the caller may then return freed memory to the system).
    @discardableResult
    public func closeIdleBinaries(idlePeriods: Int, maximumOpen: Int, maximumOpenBytes: Int64 = .max) -> Int {
        period += 1
        var closed = 0
        for entry in entries.values where entry.binary != nil && entry.lastPeriod + UInt64(max(0, idlePeriods)) < period {
            entry.binary = nil
            closed += 1
        }
        var open = entries.values.filter { $0.binary != nil }.sorted { $0.lastUse < $1.lastUse }
        var openBytes = open.reduce(Int64(0)) { $0 + $1.bytes }
        while open.count > 1, open.count > max(0, maximumOpen) || openBytes > maximumOpenBytes {
            let oldest = open.removeFirst()
            oldest.binary = nil
            openBytes -= oldest.bytes
            closed += 1
        }
        if closed > 0 { logger.debug("closed idle binaries", metadata: ["count": "\(closed)"]) }
        return closed
    }

    /// The entry's binary, opened again if `closeIdleBinaries` closed it; nil when it cannot be opened.
    private func open(_ entry: Entry) -> ELFBinary? {
        if let binary = entry.binary { return binary }
        guard entry.failure == nil else { return nil }
        do throws(ELFBinary.OpenFailure) {
            let binary = try ELFBinary(path: entry.path)
            entry.binary = binary
            logger.debug("reopened binary", metadata: ["path": "\(entry.path)"])
            return binary
        } catch {
            logger.debug("cannot reopen binary", metadata: ["path": "\(entry.path)", "error": "\(error.error)"])
            return nil
        }
    }

    private func symbolize(entry: Entry, offset: FileOffset) -> Symbolization {
        if let cached = entry.results[offset] { return cached }
        guard let binary = open(entry) else {
            return .unknown(entry.failure?.reason ?? .fileUnreadable("\(entry.path) could not be opened again"))
        }
        let result = binary.symbolize(offset: offset)
        guard maximumCachedResults > 0 else { return result }
        if cachedResultCount >= maximumCachedResults {
            for cachedEntry in entries.values { cachedEntry.results.removeAll() }
            cachedResultCount = 0
        }
        entry.results[offset] = result
        cachedResultCount += 1
        return result
    }

    /// The cache entry for `path`, opening the file on a miss; failure only when `stat` fails.
    private func resolve(path: String) -> Result<Entry, SymbolizerError> {
        let identity: FileIdentity
        switch FileIdentity.of(path: path) {
        case .success(let value): identity = value
        case .failure(let error):
            return .failure(
                SymbolizerError(code: .fileUnreadable, message: "cannot stat binary \(path)", errno: error.code))
        }
        useClock += 1
        if let entry = entries[identity] {
            entry.lastUse = useClock
            entry.lastPeriod = period
            return .success(entry)
        }

        let entry: Entry
        do throws(ELFBinary.OpenFailure) {
            entry = Entry(path: path, bytes: identity.size, binary: try ELFBinary(path: path))
            logger.debug("opened binary", metadata: ["path": "\(path)"])
        } catch {
            logger.debug("cannot symbolize binary", metadata: ["path": "\(path)", "error": "\(error.error)"])
            if case .fileUnreadable = error.reason { return .failure(error.error) }
            entry = Entry(path: path, bytes: identity.size, failure: error)
        }
        entry.lastUse = useClock
        entry.lastPeriod = period
        if entries.count >= maximumOpenBinaries { evictLeastRecentlyUsed() }
        entries[identity] = entry
        return .success(entry)
    }

    private func evictLeastRecentlyUsed() {
        guard let victim = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return }
        cachedResultCount -= victim.value.results.count
        entries.removeValue(forKey: victim.key)
    }

    private static func reason(for error: SymbolizerError) -> UnknownReason {
        switch error.code {
        case .notELF: .notELF
        default: .fileUnreadable(error.errno.map(SymbolizerError.errnoText) ?? error.message)
        }
    }
}
