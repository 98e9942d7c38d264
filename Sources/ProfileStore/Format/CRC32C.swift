/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of segment headers, block headers and
/// block payloads.
///
/// Table-driven, slicing by 8: eight 256-entry tables let the loop consume eight bytes per step. The check value is
/// `checksum("123456789") == 0xE306_9283`. Chaining works like zlib's `crc32`: pass the previous result as
/// `continuing` to checksum a concatenation in pieces.
enum CRC32C {
    /// `tables[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for k in 1..<8 {
                crc = (crc >> 8) ^ tables[Int(crc & 0xFF)]
                tables[k * 256 + byte] = crc
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`, or of the bytes checksummed before (whose CRC is `continuing`) followed by `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = ~previous
        var index = 0
        let count = bytes.count
        tables.withUnsafeBufferPointer { t in
            while count - index >= 8 {
                let low = crc ^ UInt32(bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian)
                let high = UInt32(bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian)
                crc =
                    t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
                index += 1
            }
        }
        return ~crc
    }

    /// The CRC-32C of `bytes`, optionally continuing a previous checksum.
    static func checksum(_ bytes: [UInt8], continuing previous: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: previous) }
    }

    /// The CRC-32C of `bytes`, optionally continuing a previous checksum.
    static func checksum(_ bytes: ArraySlice<UInt8>, continuing previous: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: previous) }
    }
}
