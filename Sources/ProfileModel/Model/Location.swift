/// One program counter of a stack, and the source lines it symbolizes to.
///
/// A location has several ``lines`` when functions were inlined at that address. As in pprof, they are ordered
/// innermost (most inlined) first: for `memcpy` inlined into `printf`, `lines[0]` is `memcpy` and `lines[1]` is
/// `printf`, the real caller frame. A location with no lines is unsymbolized.
public struct Location: Sendable, Hashable {
    /// Unique nonzero id within a ``Profile``; ``Sample/locationIDs`` refers to it.
    public var id: UInt64
    /// The ``Mapping/id`` that contains ``address``; 0 when unknown.
    public var mappingID: UInt64
    /// Absolute instruction address; 0 when not applicable.
    public var address: UInt64
    /// Source lines at this address, innermost first (see the type's documentation).
    public var lines: [Line]
    /// Several symbols share this address (identical code folding); ``lines`` shows one of them.
    public var isFolded: Bool

    public init(id: UInt64, mappingID: UInt64, address: UInt64, lines: [Line], isFolded: Bool = false) {
        self.id = id
        self.mappingID = mappingID
        self.address = address
        self.lines = lines
        self.isFolded = isFolded
    }
}
