/// One source position of a ``Location``: a function and a line (and optionally a column) in it.
public struct Line: Sendable, Hashable {
    /// The ``Function/id`` this line belongs to; 0 means the function is unknown.
    public var functionID: UInt64
    /// Line number in the function's source file; 0 when unknown.
    public var line: Int64
    /// Column number; 0 when unknown.
    public var column: Int64 = 0

    public init(functionID: UInt64, line: Int64, column: Int64 = 0) {
        self.functionID = functionID
        self.line = line
        self.column = column
    }
}
