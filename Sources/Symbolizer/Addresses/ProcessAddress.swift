/// An absolute virtual address in a process's address space, or in the kernel's.
///
/// This is what a stack sample holds. Turn it into a ``FileOffset`` with
/// ``MemoryMapping/fileOffset(of:)`` before asking an ``ELFSymbolizer``.
public struct ProcessAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address value.
    public var rawValue: UInt64

    /// Wraps an absolute address.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: ProcessAddress, rhs: ProcessAddress) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `0x`-prefixed lower-case hexadecimal.
    public var description: String {
        "0x" + String(rawValue, radix: 16)
    }
}
