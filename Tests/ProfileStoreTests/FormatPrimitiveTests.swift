import Testing

@testable import ProfileStore

@Suite struct FormatPrimitiveTests {
    @Test func crc32cCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 B.4: 32 bytes of zeros, and of 0xFF.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func crc32cChainsAndMatchesBytewise() {
        var rng = SeededGenerator(seed: 3)
        let bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let chained = CRC32C.checksum(bytes[split...], continuing: CRC32C.checksum(bytes[..<split]))
            #expect(chained == CRC32C.checksum(bytes))
        }
        // A plain bitwise reference implementation.
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        #expect(~crc == CRC32C.checksum(bytes))
    }

    @Test func varintsRoundTrip() throws {
        let unsigned: [UInt64] = [0, 1, 127, 128, 255, 300, 16383, 16384, 1 << 32, UInt64.max - 1, UInt64.max]
        let signed: [Int64] = [0, -1, 1, -64, 64, Int64.min, Int64.max, -1_000_000_007]
        var writer = ByteWriter()
        for value in unsigned { writer.uvarint(value) }
        for value in signed { writer.svarint(value) }
        writer.string("héllo")
        writer.string("")
        writer.u32(0xDEAD_BEEF)
        writer.i64(-5)
        var reader = ByteReader(writer.bytes)
        for value in unsigned { #expect(try reader.uvarint() == value) }
        for value in signed { #expect(try reader.svarint() == value) }
        #expect(try reader.string() == "héllo")
        #expect(try reader.string() == "")
        #expect(try reader.u32() == 0xDEAD_BEEF)
        #expect(try reader.i64() == -5)
        #expect(reader.isAtEnd)
        #expect(throws: FormatError.self) { try reader.u8() }
    }

    @Test func malformedVarintsThrow() {
        var overlong = ByteReader([UInt8](repeating: 0x80, count: 11) + [0])
        #expect(throws: FormatError.self) { try overlong.uvarint() }
        var overflow = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect(throws: FormatError.self) { try overflow.uvarint() }
        var truncated = ByteReader([0x80])
        #expect(throws: FormatError.self) { try truncated.uvarint() }
        var longString = ByteReader([5, 65, 66])
        #expect(throws: FormatError.self) { try longString.string() }
    }

    @Test func segmentHeaderRoundTripsAndDetectsDamage() throws {
        let header = SegmentHeader(id: 42, superseded: [7, 9])
        let bytes = header.encoded()
        #expect(bytes.count == header.length)
        #expect(try SegmentHeader.decode(bytes) == header)
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0x10
            #expect(throws: SegmentHeaderError.self) { try SegmentHeader.decode(damaged) }
        }
        // An intact header of another version is unsupported; the same bytes damaged are just damaged.
        var newer = bytes
        newer[8] = 3
        newer.replaceSubrange(
            (bytes.count - 4)..., with: withUnsafeBytes(of: CRC32C.checksum(newer.dropLast(4)).littleEndian, Array.init)
        )
        #expect {
            try SegmentHeader.decode(newer)
        } throws: { error in
            if case .unsupportedVersion(3) = error as? SegmentHeaderError { return true }
            return false
        }
    }

    @Test func segmentNames() {
        #expect(StorageFormat.segmentFileName(3) == "00000003.seg")
        #expect(StorageFormat.segmentFileName(123_456_789) == "123456789.seg")
        #expect(StorageFormat.segmentID(fromFileName: "00000003.seg") == 3)
        #expect(StorageFormat.segmentID(fromFileName: "123456789.seg") == 123_456_789)
        #expect(StorageFormat.segmentID(fromFileName: "00000003.seg.tmp") == nil)
        #expect(StorageFormat.segmentID(fromFileName: "3.seg") == nil)
        #expect(StorageFormat.segmentID(fromFileName: "lock") == nil)
    }

    @Test func zstdRejectsWrongSizesAndGarbage() throws {
        let data = Array("a compressible string, a compressible string, a compressible string".utf8)
        let compressed = try Zstd.compress(data, level: 3)
        #expect(try Zstd.decompress(compressed, expectedCount: data.count) == data)
        #expect(throws: FormatError.self) { try Zstd.decompress(compressed, expectedCount: data.count + 1) }
        #expect(throws: FormatError.self) { try Zstd.decompress([1, 2, 3, 4, 5, 6, 7, 8], expectedCount: 8) }
    }
}
