/// The fixed 48-byte header of a block frame (storage/FORMAT.md, "Block frame").
///
/// ```
/// 0   4  magic "SBLK"
/// 4   1  kind (1 window, 2 compacted)
/// 5   1  codec (1 zstd)
/// 6   2  flags (0)
/// 8   8  start, ns since the Unix epoch (i64)
/// 16  8  end, ns since the Unix epoch (i64)
/// 24  4  M, metadata length (u32)
/// 28  4  P, compressed payload length (u32)
/// 32  4  U, uncompressed payload length (u32)
/// 36  4  CRC-32C of the P payload bytes
/// 40  4  reserved (0)
/// 44  4  header CRC-32C of bytes [0, 44) followed by the M metadata bytes
/// ```
/// The metadata follows the header, the payload follows the metadata: a frame is `48 + M + P` bytes.
struct BlockHeader: Sendable, Equatable {
    var kind: BlockKind
    /// Start of the covered time, inclusive (ns since the epoch).
    var start: Int64
    /// End of the covered time, exclusive (ns since the epoch).
    var end: Int64
    var metaLength: Int
    var payloadLength: Int
    var rawLength: Int
    var payloadChecksum: UInt32

    static let zstdCodec: UInt8 = 1

    /// Bytes of the whole frame: header, metadata and payload.
    var frameLength: Int { StorageFormat.blockHeaderLength + metaLength + payloadLength }

    /// The frame for `payload` (compressed) and `meta`, with both checksums.
    static func frame(
        kind: BlockKind, start: Int64, end: Int64, meta: [UInt8], payload: [UInt8], rawLength: Int
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: StorageFormat.blockHeaderLength + meta.count + payload.count)
        writer.append(StorageFormat.blockMagic)
        writer.u8(kind.rawValue)
        writer.u8(zstdCodec)
        writer.u16(0)
        writer.i64(start)
        writer.i64(end)
        writer.u32(UInt32(meta.count))
        writer.u32(UInt32(payload.count))
        writer.u32(UInt32(rawLength))
        writer.u32(CRC32C.checksum(payload))
        writer.u32(0)
        let headerChecksum = CRC32C.checksum(meta, continuing: CRC32C.checksum(writer.bytes))
        writer.u32(headerChecksum)
        writer.append(meta)
        writer.append(payload)
        return writer.bytes
    }

    /// Parses the fixed header in `bytes[0..<48]` and checks magic, kind, codec and length limits.
    ///
    /// The header checksum cannot be checked yet (it also covers the metadata); see ``verify(_:meta:)``.
    static func parse(_ bytes: [UInt8]) throws(FormatError) -> BlockHeader {
        guard bytes.count >= StorageFormat.blockHeaderLength else { throw FormatError("block header is truncated") }
        guard Array(bytes[0..<4]) == StorageFormat.blockMagic else { throw FormatError("bad block magic") }
        guard let kind = BlockKind(rawValue: bytes[4]) else { throw FormatError("unknown block kind \(bytes[4])") }
        guard bytes[5] == zstdCodec else { throw FormatError("unknown block codec \(bytes[5])") }
        let header = BlockHeader(
            kind: kind,
            start: Int64(bitPattern: bytes.littleEndian(at: 8, width: 8)),
            end: Int64(bitPattern: bytes.littleEndian(at: 16, width: 8)),
            metaLength: Int(bytes.littleEndian(at: 24, width: 4)),
            payloadLength: Int(bytes.littleEndian(at: 28, width: 4)),
            rawLength: Int(bytes.littleEndian(at: 32, width: 4)),
            payloadChecksum: UInt32(bytes.littleEndian(at: 36, width: 4)))
        guard header.metaLength <= StorageFormat.maximumMetaLength,
            header.payloadLength <= StorageFormat.maximumPayloadLength,
            header.rawLength <= StorageFormat.maximumRawLength
        else { throw FormatError("block lengths out of range") }
        return header
    }

    /// Checks the header checksum of `header` (the 48 header bytes) and `meta`.
    static func verify(_ header: [UInt8], meta: ArraySlice<UInt8>) throws(FormatError) {
        let stored = UInt32(header.littleEndian(at: 44, width: 4))
        let actual = CRC32C.checksum(meta, continuing: CRC32C.checksum(header[0..<44]))
        guard stored == actual else { throw FormatError("block header checksum mismatch") }
    }
}
