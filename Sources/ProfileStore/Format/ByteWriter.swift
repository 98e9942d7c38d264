/// Appends little-endian integers, LEB128 varints and length-prefixed strings to a byte array.
///
/// The primitives of storage/FORMAT.md: `u8`, `u16`, `u32`, `u64` (little-endian, fixed width), `uvarint`
/// (unsigned LEB128, at most 10 bytes), `svarint` (zigzag, then `uvarint`) and `string` (`uvarint` byte length, then
/// UTF-8 bytes).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func u16(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ value: Int64) {
        u64(UInt64(bitPattern: value))
    }

    mutating func uvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func uvarint(_ value: Int) {
        uvarint(UInt64(value))
    }

    /// Zigzag: 0, -1, 1, -2, ... become 0, 1, 2, 3, ...
    mutating func svarint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            uvarint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func append(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    /// Overwrites four bytes at `offset` with `value`, little-endian (for checksums computed after the fact).
    mutating func patchU32(_ value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, byte) in raw.enumerated() { bytes[offset + i] = byte }
        }
    }
}
