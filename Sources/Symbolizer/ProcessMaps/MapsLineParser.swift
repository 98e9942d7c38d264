/// Parses one line of `/proc/PID/maps`.
enum MapsLineParser {
    /// The mapping a line describes, or nil when it does not have the kernel's shape:
    /// `start-end perms offset major:minor inode` then, after padding spaces, an optional path that may itself
    /// contain spaces (kept verbatim, including a `" (deleted)"` suffix).
    static func parse(_ line: Substring) -> MemoryMapping? {
        var rest = line.utf8[...]
        guard let range = nextField(&rest),
            let permissions = nextField(&rest),
            let offsetField = nextField(&rest),
            let device = nextField(&rest),
            let inodeField = nextField(&rest)
        else { return nil }

        guard let dash = range.firstIndex(of: UInt8(ascii: "-")),
            let start = UInt64(hex: range[..<dash]),
            let end = UInt64(hex: range[range.index(after: dash)...]),
            start <= end,
            permissions.count == 4,
            let offset = UInt64(hex: offsetField),
            device.contains(UInt8(ascii: ":")),
            let inode = UInt64(decimal: inodeField)
        else { return nil }

        while let first = rest.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            rest.removeFirst()
        }
        return MemoryMapping(
            start: ProcessAddress(start), end: ProcessAddress(end), fileOffset: FileOffset(offset),
            permissions: String(decoding: permissions, as: UTF8.self),
            device: String(decoding: device, as: UTF8.self), inode: inode,
            path: String(decoding: rest, as: UTF8.self))
    }

    /// Removes and returns the next space-separated field, skipping leading spaces; nil at end of line.
    private static func nextField(_ text: inout Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence? {
        while let first = text.first, first == UInt8(ascii: " ") {
            text.removeFirst()
        }
        guard !text.isEmpty else { return nil }
        let end = text.firstIndex(of: UInt8(ascii: " ")) ?? text.endIndex
        let field = text[..<end]
        text = text[end...]
        return field
    }
}

extension UInt64 {
    /// Parses unsigned hexadecimal digits (no prefix); nil for empty input, other characters or overflow.
    init?<Digits: Collection>(hex digits: Digits) where Digits.Element == UInt8 {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for character in digits {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        self = value
    }

    /// Parses unsigned decimal digits; nil for empty input, other characters or overflow.
    init?<Digits: Collection>(decimal digits: Digits) where Digits.Element == UInt8 {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for character in digits {
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(character - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        self = value
    }
}
