/// The content of an ELF `NT_GNU_BUILD_ID` note: an identifier of the linked file's contents.
///
/// Two files with the same build ID have the same code and symbols, wherever they live; the separate
/// debug file of a binary is found under `/usr/lib/debug/.build-id/` by it.
public struct BuildID: Hashable, Sendable, CustomStringConvertible {
    /// The note's descriptor bytes (usually 20, a SHA-1).
    public var bytes: [UInt8]

    /// Wraps note bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses lower- or upper-case hexadecimal with an even number of digits; nil otherwise.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// Lower-case hexadecimal, two digits per byte, as `eu-readelf -n` and `.build-id/` paths spell it.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Same as ``hex``.
    public var description: String { hex }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
