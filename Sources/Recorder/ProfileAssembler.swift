import Logging
import ProfileModel
import Sampler
import Symbolizer

/// Turns raw samples into a pprof-shaped `Profile`: resolves every address to a mapping, function, file and line
/// (inlined calls become extra lines of one location, innermost first), and labels each sample with pid, tid, comm,
/// thread_name and exe (when the executable could be read).
///
/// An address that cannot be resolved stays an address in its mapping (pprof shows `libfoo.so+0x1234`); an address
/// in no mapping stays a bare address. Nothing is made up. Not thread-safe: one owner.
public final class ProfileAssembler {
    /// Values per sample: `samples/count` and `cpu/nanoseconds`.
    public static let sampleTypes = [
        ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds"),
    ]

    let catalog: ProcessCatalog
    let symbolizer: ELFSymbolizer
    let kernel: KernelSymbols?
    let logger: Logger
    var builder: ProfileBuilder
    let periodNanos: Int64

    /// (mapping identity, address) → location id.
    private var locationCache: [LocationKey: UInt64] = [:]
    private var mappingCache: [MappingKey: UInt64] = [:]
    private var kernelMappingID: UInt64?
    private var binaryInfoCache: [String: BinaryInfo?] = [:]
    private(set) var frames: UInt64 = 0
    private(set) var unsymbolizedFrames: UInt64 = 0

    struct LocationKey: Hashable {
        var mapping: UInt64
        var address: UInt64
        var isLeaf: Bool
    }

    struct MappingKey: Hashable {
        var path: String
        var start: UInt64
        var end: UInt64
        var offset: UInt64
    }

    public init(
        catalog: ProcessCatalog, symbolizer: ELFSymbolizer, kernel: KernelSymbols?, frequency: Int, timeNanos: Int64,
        durationNanos: Int64, logger: Logger
    ) {
        self.catalog = catalog
        self.symbolizer = symbolizer
        self.kernel = kernel
        self.logger = logger
        periodNanos = 1_000_000_000 / Int64(max(1, frequency))
        builder = ProfileBuilder(
            sampleTypes: Self.sampleTypes, periodType: ValueType(type: "cpu", unit: "nanoseconds"),
            period: periodNanos, timeNanos: timeNanos, durationNanos: durationNanos,
            defaultSampleType: "cpu")
    }

    /// Adds one aggregated sample from the kernel's counts map.
    public func add(_ sample: RawSample, truncation: String? = nil) {
        add(
            pid: sample.pid, generation: nil, tid: sample.tid, comm: sample.comm, userStack: sample.userStack,
            kernelStack: sample.kernelStack, truncation: truncation, count: sample.count)
    }

    /// The root frame of stacks that stop early, so they are never passed off as complete.
    public static let truncatedFrame = "[truncated]"

    /// Adds `count` samples of one thread with these stacks. `generation` is the maps generation user addresses
    /// belong to (see `ProcessCatalog`), nil to search from the newest. A `truncation` reason adds a `[truncated]` root frame
    /// (the reason is in its file name, e.g. `snapshot-end`, so pprof's and our views show it).
    ///
    /// User frames are return addresses, looked up one byte back (inside the call), except the leaf and the indexes
    /// in `exactUserFrames` (e.g. the interrupted code above a signal frame).
    public func add(
        pid: Int32, generation: Int?, tid: Int32, comm: String, userStack: StackTrace, kernelStack: StackTrace, truncation: String?,
        exactUserFrames: Set<Int> = [], count rawCount: UInt64
    ) {
        var locations: [UInt64] = []
        switch kernelStack {
        case .frames(let addresses):
            for (index, address) in addresses.enumerated() {
                locations.append(kernelLocation(address, isLeaf: index == 0))
            }
        case .absent:
            break
        case .lost(let reason):
            locations.append(markerLocation("[kernel stack lost: \(reason.rawValue)]"))
        }
        switch userStack {
        case .frames(let addresses):
            for (index, address) in addresses.enumerated() {
                let exact = (index == 0 && locations.isEmpty) || exactUserFrames.contains(index)
                locations.append(userLocation(pid: pid, generation: generation, address: address, isLeaf: exact))
            }
        case .absent:
            break
        case .lost(let reason):
            locations.append(markerLocation("[user stack lost: \(reason.rawValue)]"))
        }
        if let truncation {
            locations.append(markerLocation(Self.truncatedFrame, file: truncation))
        }
        let count = Int64(clamping: rawCount)
        let process = catalog.generation(pid: pid, generation: generation, threadComm: comm)
        var labels: [Label] = [
            .number("pid", Int64(pid)), .number("tid", Int64(tid)),
            .string("comm", process?.comm ?? comm), .string("thread_name", comm),
        ]
        if let executable = process?.executable { labels.append(.string("exe", executable)) }
        builder.addSample(locationIDs: locations, values: [count, count * periodNanos], labels: labels)
    }

    public func build() -> Profile {
        builder.build()
    }

    // MARK: User space

    func userLocation(pid: Int32, generation: Int?, address: UInt64, isLeaf: Bool) -> UInt64 {
        guard let mapping = catalog.mapping(pid: pid, containing: ProcessAddress(address), generation: generation) else {
            return location(LocationKey(mapping: 0, address: address, isLeaf: isLeaf)) { [] }
        }
        let key = LocationKey(mapping: pprofMapping(for: mapping), address: address, isLeaf: isLeaf)
        return location(key) {
            guard mapping.isFileBacked else { return [] }
            // Every frame but the leaf holds a return address: look up the call instruction before it.
            let lookup = ProcessAddress(isLeaf || address == 0 ? address : address - 1)
            guard case .frames(let symbolized) = symbolizer.symbolize(
                path: mapping.path, offset: mapping.fileOffset(of: lookup))
            else { return [] }
            return symbolized.map { frame in
                Line(
                    functionID: builder.function(
                        name: frame.function, systemName: frame.systemName, filename: frame.file ?? ""),
                    line: Int64(frame.line ?? 0))
            }
        }
    }

    /// The location for `key`, resolving its lines with `lines` the first time. Counts every frame, and every frame
    /// whose location has no lines.
    private func location(_ key: LocationKey, lines: () -> [Line]) -> UInt64 {
        frames += 1
        if let cached = locationCache[key] {
            if unresolvedIDs.contains(cached) { unsymbolizedFrames += 1 }
            return cached
        }
        let resolved = lines()
        let id = builder.location(mappingID: key.mapping, address: key.address, lines: resolved)
        locationCache[key] = id
        if resolved.isEmpty {
            unresolvedIDs.insert(id)
            unsymbolizedFrames += 1
        }
        return id
    }

    /// Locations that resolved to no line.
    private var unresolvedIDs: Set<UInt64> = []

    func pprofMapping(for mapping: MemoryMapping) -> UInt64 {
        let key = MappingKey(
            path: mapping.path, start: mapping.start.rawValue, end: mapping.end.rawValue,
            offset: mapping.fileOffset.rawValue)
        if let id = mappingCache[key] { return id }
        let info = mapping.isFileBacked ? binaryInfo(mapping.path) : nil
        let id = builder.mapping(
            start: mapping.start.rawValue, limit: mapping.end.rawValue, offset: mapping.fileOffset.rawValue,
            file: mapping.path, buildID: info?.buildID?.hex ?? "",
            hasFunctions: info?.hasSymbols ?? false, hasFilenames: info?.hasDebugInfo ?? false,
            hasLineNumbers: info?.hasDebugInfo ?? false, hasInlineFrames: info?.hasInlineInfo ?? false)
        mappingCache[key] = id
        return id
    }

    func binaryInfo(_ path: String) -> BinaryInfo? {
        if let cached = binaryInfoCache[path] { return cached }
        let info: BinaryInfo?
        switch symbolizer.binaryInfo(path: path) {
        case .success(let value): info = value
        case .failure(let error):
            logger.debug("no binary info", metadata: ["path": "\(path)", "error": "\(error)"])
            info = nil
        }
        binaryInfoCache[path] = info
        return info
    }

    // MARK: Kernel

    func kernelLocation(_ address: UInt64, isLeaf: Bool) -> UInt64 {
        location(LocationKey(mapping: kernelMapping(), address: address, isLeaf: isLeaf)) {
            guard let symbol = kernel?.symbolize(ProcessAddress(isLeaf ? address : address - 1)) else { return [] }
            let name = symbol.module.map { "\(symbol.name) [\($0)]" } ?? symbol.name
            return [Line(functionID: builder.function(name: name, systemName: symbol.name, filename: ""), line: 0)]
        }
    }

    func kernelMapping() -> UInt64 {
        if let kernelMappingID { return kernelMappingID }
        let range = kernel?.kernelTextRange
        let id = builder.mapping(
            start: range?.lowerBound.rawValue ?? 0xffff_8000_0000_0000, limit: range?.upperBound.rawValue ?? .max,
            offset: 0, file: "[kernel.kallsyms]", buildID: "", hasFunctions: kernel != nil, hasFilenames: false,
            hasLineNumbers: false, hasInlineFrames: false)
        kernelMappingID = id
        return id
    }

    // MARK: Markers

    /// A location for a stack that was lost or cut, so its samples stay in the totals and say why.
    func markerLocation(_ name: String, file: String = "") -> UInt64 {
        let function = builder.function(name: name, systemName: name, filename: file)
        return builder.location(mappingID: 0, address: 0, lines: [Line(functionID: function, line: 0)])
    }
}
