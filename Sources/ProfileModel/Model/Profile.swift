/// A profile: stacks with measured values, and the locations, functions and mappings those stacks refer to.
///
/// This is pprof's data model with Swift strings in place of the string table (which exists only in the pprof codec,
/// see ``pprofData(compressed:)`` and ``init(pprof:maxDecompressedBytes:)``).
///
/// Invariants, checked by ``validate()``: ids are nonzero and unique per kind, every referenced id exists, and every
/// sample has one value per sample type. Ids are 1-based; ``ProfileBuilder`` assigns dense ids `1...n` in array
/// order, as most pprof writers do, and decoding keeps the ids of the file.
///
/// Lookups by id (``location(id:)``, ``function(id:)``, ``mapping(id:)``) are O(1) once an index is built on first
/// use: a position computation for dense ids, a dictionary otherwise. Mutating an array invalidates its index and the
/// next lookup rebuilds it. Profiles are values and `Sendable`; copies may be read from any thread.
public struct Profile: Sendable {
    /// What each column of ``Sample/values`` measures.
    public var sampleTypes: [ValueType]
    /// The measured stacks.
    public var samples: [Sample]
    /// Object files mapped into the profiled processes.
    public var mappings: [Mapping] { didSet { mappingIndex = LazyIDIndex() } }
    /// Program counters referenced by ``samples``.
    public var locations: [Location] { didSet { locationIndex = LazyIDIndex() } }
    /// Functions referenced by the lines of ``locations``.
    public var functions: [Function] { didSet { functionIndex = LazyIDIndex() } }
    /// Regular expression: frames whose function names fully match are dropped with their callees (pprof semantics).
    public var dropFrames: String
    /// Regular expression: frames that match are kept even if they match ``dropFrames``.
    public var keepFrames: String
    /// Start of collection, nanoseconds since the Unix epoch (UTC); 0 when unknown.
    public var timeNanos: Int64
    /// Length of the collection window in nanoseconds; 0 when unknown.
    public var durationNanos: Int64
    /// What one sampling period counts, e.g. `cpu`/`nanoseconds`.
    public var periodType: ValueType?
    /// Events between two samples in ``periodType`` units (10101010 ns for 99 Hz).
    public var period: Int64
    /// Free-form text for people; never machine-readable data.
    public var comments: [String]
    /// The ``ValueType/type`` reports show by default; empty means the last sample type.
    public var defaultSampleType: String
    /// Absolute URL documenting this kind of profile; empty when none.
    public var docURL: String

    private var mappingIndex = LazyIDIndex()
    private var locationIndex = LazyIDIndex()
    private var functionIndex = LazyIDIndex()

    public init(
        sampleTypes: [ValueType] = [],
        samples: [Sample] = [],
        mappings: [Mapping] = [],
        locations: [Location] = [],
        functions: [Function] = [],
        dropFrames: String = "",
        keepFrames: String = "",
        timeNanos: Int64 = 0,
        durationNanos: Int64 = 0,
        periodType: ValueType? = nil,
        period: Int64 = 0,
        comments: [String] = [],
        defaultSampleType: String = "",
        docURL: String = ""
    ) {
        self.sampleTypes = sampleTypes
        self.samples = samples
        self.mappings = mappings
        self.locations = locations
        self.functions = functions
        self.dropFrames = dropFrames
        self.keepFrames = keepFrames
        self.timeNanos = timeNanos
        self.durationNanos = durationNanos
        self.periodType = periodType
        self.period = period
        self.comments = comments
        self.defaultSampleType = defaultSampleType
        self.docURL = docURL
    }

    /// The location with `id`, or nil if there is none. The first one wins if ids are duplicated.
    public func location(id: UInt64) -> Location? {
        locationIndex.position(of: id) { locations.map(\.id) }.map { locations[$0] }
    }

    /// The function with `id`, or nil if there is none. The first one wins if ids are duplicated.
    public func function(id: UInt64) -> Function? {
        functionIndex.position(of: id) { functions.map(\.id) }.map { functions[$0] }
    }

    /// The mapping with `id`, or nil if there is none. The first one wins if ids are duplicated.
    public func mapping(id: UInt64) -> Mapping? {
        mappingIndex.position(of: id) { mappings.map(\.id) }.map { mappings[$0] }
    }
}

extension Profile: Equatable {
    /// Profiles are equal when all their public properties are; element order matters.
    public static func == (lhs: Profile, rhs: Profile) -> Bool {
        lhs.sampleTypes == rhs.sampleTypes && lhs.samples == rhs.samples && lhs.mappings == rhs.mappings
            && lhs.locations == rhs.locations && lhs.functions == rhs.functions && lhs.dropFrames == rhs.dropFrames
            && lhs.keepFrames == rhs.keepFrames && lhs.timeNanos == rhs.timeNanos
            && lhs.durationNanos == rhs.durationNanos && lhs.periodType == rhs.periodType && lhs.period == rhs.period
            && lhs.comments == rhs.comments && lhs.defaultSampleType == rhs.defaultSampleType
            && lhs.docURL == rhs.docURL
    }
}
