/// One stack and the values measured for it, e.g. `[samples: 3, cpu: 30ms]` for `main;run;compute`.
public struct Sample: Sendable, Hashable {
    /// The stack as ``Location/id``s, leaf (innermost frame) first, as in pprof.
    public var locationIDs: [UInt64]
    /// One value per ``Profile/sampleTypes`` entry, in the same order.
    public var values: [Int64]
    /// Context for the sample, e.g. `pid`, `tid`, `comm`.
    public var labels: [Label]

    public init(locationIDs: [UInt64], values: [Int64], labels: [Label] = []) {
        self.locationIDs = locationIDs
        self.values = values
        self.labels = labels
    }
}
