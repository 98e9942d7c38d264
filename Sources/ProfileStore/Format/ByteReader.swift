/// Reads the primitives of ``ByteWriter`` back, throwing ``FormatError`` instead of reading past the end.
struct ByteReader {
    private let bytes: [UInt8]
    /// Index of the next unread byte.
    private(set) var position: Int
    private let end: Int

    /// Reads `bytes[range]` (all of `bytes` by default).
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    /// Bytes left to read.
    var remaining: Int { end - position }

    var isAtEnd: Bool { position == end }

    mutating func u8() throws(FormatError) -> UInt8 {
        guard position < end else { throw FormatError("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(FormatError) -> UInt16 {
        UInt16(truncatingIfNeeded: try fixed(2))
    }

    mutating func u32() throws(FormatError) -> UInt32 {
        UInt32(truncatingIfNeeded: try fixed(4))
    }

    mutating func u64() throws(FormatError) -> UInt64 {
        try fixed(8)
    }

    mutating func i64() throws(FormatError) -> Int64 {
        Int64(bitPattern: try fixed(8))
    }

    private mutating func fixed(_ width: Int) throws(FormatError) -> UInt64 {
        guard remaining >= width else { throw FormatError("unexpected end of data") }
        var value: UInt64 = 0
        for i in 0..<width {
            value |= UInt64(bytes[position + i]) << (8 * UInt64(i))
        }
        position += width
        return value
    }

    mutating func uvarint() throws(FormatError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift == 63 && byte > 1 { throw FormatError("varint overflows 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw FormatError("varint longer than 10 bytes") }
        }
    }

    mutating func svarint() throws(FormatError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A `uvarint` that must be at most `limit` (a count or an id), as an `Int`.
    mutating func count(atMost limit: Int, _ what: @autoclosure () -> String) throws(FormatError) -> Int {
        let raw = try uvarint()
        guard raw <= UInt64(limit) else { throw FormatError("\(what()) is \(raw), more than \(limit)") }
        return Int(raw)
    }

    /// Moves past `count` bytes.
    mutating func skip(_ count: Int) throws(FormatError) {
        guard count >= 0, count <= remaining else { throw FormatError("unexpected end of data") }
        position += count
    }

    mutating func string() throws(FormatError) -> String {
        let length = try uvarint()
        guard length <= UInt64(remaining) else { throw FormatError("string of \(length) bytes runs past the end") }
        let count = Int(length)
        defer { position += count }
        return String(decoding: bytes[position..<position + count], as: UTF8.self)
    }
}
