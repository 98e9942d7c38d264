/// A virtual address as the ELF file states it: symbol values (`st_value`), `p_vaddr`, DWARF addresses.
///
/// For a position-independent file it is relative to the load base; for an `ET_EXEC` file it is absolute.
public struct ELFAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address value.
    public var rawValue: UInt64

    /// Wraps an ELF virtual address.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: ELFAddress, rhs: ELFAddress) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `0x`-prefixed lower-case hexadecimal.
    public var description: String {
        "0x" + String(rawValue, radix: 16)
    }
}
