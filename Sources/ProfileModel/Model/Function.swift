/// A function (symbol) that lines of a ``Location`` refer to.
public struct Function: Sendable, Hashable {
    /// Unique nonzero id within a ``Profile``; ``Line/functionID`` refers to it.
    public var id: UInt64
    /// Human-readable (demangled) name, e.g. `std::vector<int>::push_back`.
    public var name: String
    /// Name as the system knows it, e.g. the mangled symbol `_ZNSt6vectorIiE9push_backEOi`.
    public var systemName: String
    /// Source file that defines the function; empty when unknown.
    public var filename: String
    /// Line in ``filename`` where the function starts; 0 when unknown.
    public var startLine: Int64

    public init(id: UInt64, name: String, systemName: String = "", filename: String = "", startLine: Int64 = 0) {
        self.id = id
        self.name = name
        self.systemName = systemName
        self.filename = filename
        self.startLine = startLine
    }
}
