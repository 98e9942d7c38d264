/// What an ELF binary offers for symbolization.
public struct BinaryInfo: Sendable, Hashable {
    /// The `NT_GNU_BUILD_ID` note, when the file has one.
    public var buildID: BuildID?
    /// Whether `.symtab` or `.dynsym` (in the file or its separate debug file) defines at least one function.
    public var hasSymbols: Bool
    /// Whether DWARF was found, in the file or a separate debug file (by build ID or `.gnu_debuglink`).
    public var hasDebugInfo: Bool
    /// Whether that DWARF describes at least one inlined call (`DW_TAG_inlined_subroutine`).
    public var hasInlineInfo: Bool

    /// Creates a description.
    public init(buildID: BuildID?, hasSymbols: Bool, hasDebugInfo: Bool, hasInlineInfo: Bool) {
        self.buildID = buildID
        self.hasSymbols = hasSymbols
        self.hasDebugInfo = hasDebugInfo
        self.hasInlineInfo = hasInlineInfo
    }
}
