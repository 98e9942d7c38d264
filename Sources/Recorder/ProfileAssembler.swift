import Logging
import ProfileModel
import Sampler
import Symbolizer

/// Turns raw samples into a pprof-shaped `Profile`: resolves every address to a mapping, function, file and line
/// (inlined calls become extra lines of one location, innermost first), and labels each sample with pid, tid, comm
/// and thread_name.
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

    /// Adds one aggregated sample.
    public func add(_ sample: RawSample) {
        var locations: [UInt64] = []
        switch sample.kernelStack {
        case .frames(let addresses):
            for (index, address) in addresses.enumerated() {
                locations.append(kernelLocation(address, isLeaf: index == 0))
            }
        case .absent:
            break
        case .lost(let reason):
            locations.append(markerLocation("[kernel stack lost: \(reason.rawValue)]"))
        }
        switch sample.userStack {
        case .frames(let addresses):
            for (index, address) in addresses.enumerated() {
                locations.append(userLocation(pid: sample.pid, address: address, isLeaf: index == 0 && locations.isEmpty))
            }
        case .absent:
            break
        case .lost(let reason):
            locations.append(markerLocation("[user stack lost: \(reason.rawValue)]"))
        }
        let process = catalog.process(sample.pid)
        let count = Int64(clamping: sample.count)
        builder.addSample(
            locationIDs: locations, values: [count, count * periodNanos],
            labels: [
                .number("pid", Int64(sample.pid)), .number("tid", Int64(sample.tid)),
                .string("comm", process?.comm ?? sample.comm), .string("thread_name", sample.comm),
            ])
    }

    public func build() -> Profile {
        builder.build()
    }

    // MARK: User space

    func userLocation(pid: Int32, address: UInt64, isLeaf: Bool) -> UInt64 {
        guard let mapping = catalog.mapping(pid: pid, containing: ProcessAddress(address)) else {
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

    /// A location for a stack that was lost, so its samples stay in the totals and say why.
    func markerLocation(_ name: String) -> UInt64 {
        let function = builder.function(name: name, systemName: name, filename: "")
        return builder.location(mappingID: 0, address: 0, lines: [Line(functionID: function, line: 0)])
    }
}
