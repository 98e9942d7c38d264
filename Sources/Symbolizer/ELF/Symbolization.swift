/// One function at an address: the real function, or one level of code inlined into it.
public struct SymbolizedFrame: Hashable, Sendable {
    /// The readable name: demangled C++ (`ns::hot(int)`) or Swift (`main.hotLoop() -> ()`), or the name as is.
    public var function: String
    /// The name as in the binary: the ELF symbol for the outermost frame when there is one, otherwise the DWARF
    /// linkage name (mangled) or plain name.
    public var systemName: String
    /// The source file as DWARF records it, joined to the compilation directory when relative; nil without
    /// line information.
    public var file: String?
    /// The source line; nil without line information (or DWARF line 0, "no source line").
    public var line: Int?
    /// True for code inlined into an enclosing frame; false only for the outermost frame, the function that was
    /// actually called.
    public var isInlined: Bool

    /// Creates a frame.
    public init(function: String, systemName: String, file: String?, line: Int?, isInlined: Bool) {
        self.function = function
        self.systemName = systemName
        self.file = file
        self.line = line
        self.isInlined = isInlined
    }
}

/// Why an address could not be symbolized.
public enum UnknownReason: Hashable, Sendable {
    /// The binary could not be opened or read; the associated value is the `strerror` text.
    case fileUnreadable(String)
    /// No symbol (ELF or DWARF) covers the address: stripped, or not code.
    case noSymbol
    /// The file is not an ELF object libelf can read.
    case notELF
    /// The offset is not inside the file part of any `PT_LOAD` segment, so it is not loaded code.
    case offsetNotInLoadSegment
}

/// The result of symbolizing one address: frames, or why there are none.
public enum Symbolization: Hashable, Sendable {
    /// The functions at the address, innermost (most deeply inlined) first, the real function last. Never empty.
    case frames([SymbolizedFrame])
    /// Nothing could be said about the address, and why.
    case unknown(UnknownReason)

    /// The frames, or an empty array for ``unknown(_:)``.
    public var frames: [SymbolizedFrame] {
        if case .frames(let frames) = self { return frames }
        return []
    }
}
