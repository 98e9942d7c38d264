/// A byte offset into a file, as in the offset column of `/proc/PID/maps` and ELF `p_offset`.
///
/// It identifies code independently of where the file is loaded, which is what ``ELFSymbolizer`` takes.
public struct FileOffset: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The offset value.
    public var rawValue: UInt64

    /// Wraps a file offset.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: FileOffset, rhs: FileOffset) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `0x`-prefixed lower-case hexadecimal.
    public var description: String {
        "0x" + String(rawValue, radix: 16)
    }
}
