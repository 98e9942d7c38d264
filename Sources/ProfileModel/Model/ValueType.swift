/// The meaning and unit of one column of sample values, such as `cpu`/`nanoseconds` or `samples`/`count`.
///
/// Units follow pprof's conventions: `nanoseconds`, `bytes` and `count` are understood by every pprof tool; any other
/// string is shown verbatim.
public struct ValueType: Sendable, Hashable {
    /// What is measured, e.g. `cpu`, `samples`, `alloc_space`.
    public var type: String
    /// The unit of the measurement, e.g. `nanoseconds`, `count`, `bytes`.
    public var unit: String

    public init(type: String, unit: String) {
        self.type = type
        self.unit = unit
    }
}

extension ValueType: CustomStringConvertible {
    /// `type/unit`, the way `go tool pprof` lists sample types.
    public var description: String { "\(type)/\(unit)" }
}
