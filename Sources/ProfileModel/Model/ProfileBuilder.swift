/// Builds a ``Profile`` incrementally, interning mappings, functions and locations and merging identical samples.
///
/// Every `mapping`, `function` and `location` call returns the id of an existing entity when one with the same fields
/// was added before, so callers can add each frame of each stack without keeping their own caches. Ids are dense,
/// 1-based, in order of first appearance, which makes lookups in the built profile O(1).
///
/// The builder does not check references: ids passed to ``location(mappingID:address:lines:isFolded:)`` and
/// ``addSample(locationIDs:values:labels:)`` should come from this builder; ``Profile/validate()`` reports any that
/// do not. A builder is a value: copying it forks the profile under construction.
public struct ProfileBuilder: Sendable {
    private var header: Profile
    private var mappings: [Mapping] = []
    private var functions: [Function] = []
    private var locations: [Location] = []
    private var samples: [Sample] = []
    private var mappingIDs: [Mapping: UInt64] = [:]
    private var functionIDs: [Function: UInt64] = [:]
    private var locationIDs: [Location: UInt64] = [:]
    private var sampleIndices: [SampleKey: Int] = [:]

    /// Samples are merged when their stacks and label sets are equal; label order does not matter.
    private struct SampleKey: Hashable {
        var locationIDs: [UInt64]
        var labels: [Label]
    }

    /// - Parameters:
    ///   - sampleTypes: the value columns; every ``addSample(locationIDs:values:labels:)`` passes one value for each.
    ///   - periodType: what one sampling period counts, e.g. `cpu`/`nanoseconds`; nil when not periodic.
    ///   - period: events between samples, e.g. 10101010 ns at 99 Hz.
    ///   - timeNanos: start of collection in nanoseconds since the Unix epoch.
    ///   - durationNanos: length of the collection window.
    ///   - defaultSampleType: the sample type reports show by default; empty means the last one.
    public init(
        sampleTypes: [ValueType],
        periodType: ValueType?,
        period: Int64,
        timeNanos: Int64,
        durationNanos: Int64,
        defaultSampleType: String = ""
    ) {
        header = Profile(
            sampleTypes: sampleTypes,
            timeNanos: timeNanos,
            durationNanos: durationNanos,
            periodType: periodType,
            period: period,
            defaultSampleType: defaultSampleType
        )
    }

    /// The sample types given at initialization.
    public var sampleTypes: [ValueType] { header.sampleTypes }

    /// The id of the mapping with exactly these fields, adding it if new.
    public mutating func mapping(
        start: UInt64,
        limit: UInt64,
        offset: UInt64,
        file: String,
        buildID: String,
        hasFunctions: Bool,
        hasFilenames: Bool,
        hasLineNumbers: Bool,
        hasInlineFrames: Bool
    ) -> UInt64 {
        let key = Mapping(
            id: 0, start: start, limit: limit, offset: offset, file: file, buildID: buildID,
            hasFunctions: hasFunctions, hasFilenames: hasFilenames, hasLineNumbers: hasLineNumbers,
            hasInlineFrames: hasInlineFrames)
        return Self.intern(key, in: &mappings, ids: &mappingIDs) { $0.id = $1 }
    }

    /// The id of the function with exactly these fields, adding it if new.
    public mutating func function(name: String, systemName: String, filename: String, startLine: Int64 = 0) -> UInt64 {
        let key = Function(id: 0, name: name, systemName: systemName, filename: filename, startLine: startLine)
        return Self.intern(key, in: &functions, ids: &functionIDs) { $0.id = $1 }
    }

    /// The id of the location with this mapping, address and lines (innermost first), adding it if new.
    ///
    /// - Parameter mappingID: an id returned by `mapping(start:limit:...)`, or 0 when the mapping is unknown.
    public mutating func location(mappingID: UInt64, address: UInt64, lines: [Line], isFolded: Bool = false) -> UInt64 {
        let key = Location(id: 0, mappingID: mappingID, address: address, lines: lines, isFolded: isFolded)
        return Self.intern(key, in: &locations, ids: &locationIDs) { $0.id = $1 }
    }

    /// Adds `values` to the sample with this stack (leaf first) and label set, creating it if new.
    ///
    /// Labels are compared as sets: the same labels in another order merge into the first sample's order. String
    /// labels with an empty value are dropped (pprof cannot tell them from the number 0). Values add with saturation.
    ///
    /// - Precondition: `values.count == sampleTypes.count`.
    public mutating func addSample(locationIDs: [UInt64], values: [Int64], labels: [Label]) {
        precondition(
            values.count == header.sampleTypes.count,
            "addSample: \(values.count) values for \(header.sampleTypes.count) sample types")
        let kept = labels.filter { $0.string.map { !$0.isEmpty } ?? true }
        let key = SampleKey(locationIDs: locationIDs, labels: kept.sorted(by: Label.canonicallyOrdered))
        if let index = sampleIndices[key] {
            for column in values.indices {
                samples[index].values[column] = samples[index].values[column].saturatingAdd(values[column])
            }
        } else {
            sampleIndices[key] = samples.count
            samples.append(Sample(locationIDs: locationIDs, values: values, labels: kept))
        }
    }

    /// Appends a free-form comment for people reading the profile.
    public mutating func addComment(_ s: String) {
        header.comments.append(s)
    }

    /// Sets pprof's `drop_frames` / `keep_frames` regular expressions (empty for none).
    public mutating func setFrameFilters(drop: String, keep: String) {
        header.dropFrames = drop
        header.keepFrames = keep
    }

    /// Sets the absolute URL that documents this kind of profile.
    public mutating func setDocURL(_ url: String) {
        header.docURL = url
    }

    /// The profile built so far. The builder stays usable; later additions do not affect the returned value.
    public func build() -> Profile {
        var profile = header
        profile.mappings = mappings
        profile.functions = functions
        profile.locations = locations
        profile.samples = samples
        return profile
    }

    private static func intern<Entity: Hashable>(
        _ key: Entity,
        in entities: inout [Entity],
        ids: inout [Entity: UInt64],
        setID: (inout Entity, UInt64) -> Void
    ) -> UInt64 {
        if let id = ids[key] { return id }
        let id = UInt64(entities.count) + 1
        var entity = key
        setID(&entity, id)
        entities.append(entity)
        ids[key] = id
        return id
    }
}
