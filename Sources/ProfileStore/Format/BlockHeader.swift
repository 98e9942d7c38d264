/// The fixed 48-byte header of a block frame (storage/FORMAT.md, "Block frame").
///
/// ```
/// 0   4  magic "SBLK"
/// 4   1  kind (1 window, 2 compacted, 3 dictionary)
/// 5   1  codec (1 zstd, 2 zstd with a dictionary)
/// 6   2  flags (u16; bit 0: compact metadata)
/// 8   8  start, ns since the Unix epoch (i64)
/// 16  8  end, ns since the Unix epoch (i64)
/// 24  4  M, metadata length (u32)
/// 28  4  P, compressed payload length (u32)
/// 32  4  U, uncompressed payload length (u32)
/// 36  4  CRC-32C of the P payload bytes
/// 40  4  dictionary id (u32): the dictionary's own id (kind 3), the dictionary used (codec 2), else 0
/// 44  4  header CRC-32C of bytes [0, 44) followed by the M metadata bytes
/// ```
/// The metadata follows the header, the payload follows the metadata: a frame is `48 + M + P` bytes. Kind 3, codec
/// 2 and flags exist from format version 2 on; a version 1 segment holds only kinds 1 and 2 with codec 1 (its flags
/// and dictionary id are ignored).
struct BlockHeader: Sendable, Equatable {
    /// What a frame holds.
    enum Kind: UInt8, Sendable {
        case window = 1
        case compacted = 2
        /// Dictionary content for the blocks after it (format version 2).
        case dictionary = 3
    }

    /// How the payload is compressed.
    enum Codec: UInt8, Sendable {
        /// One zstd frame.
        case zstd = 1
        /// One zstd frame compressed with the raw-content dictionary named by ``BlockHeader/dictionaryID`` (format
        /// version 2); the uncompressed payload ends with an order section.
        case zstdWithDictionary = 2
    }

    /// Flag bit 0: the metadata uses the compact encoding of format version 2.
    static let compactMetadataFlag: UInt16 = 1

    var kind: Kind
    var codec: Codec = .zstd
    var flags: UInt16 = 0
    /// Start of the covered time, inclusive (ns since the epoch).
    var start: Int64
    /// End of the covered time, exclusive (ns since the epoch).
    var end: Int64
    var metaLength: Int
    var payloadLength: Int
    var rawLength: Int
    var payloadChecksum: UInt32
    var dictionaryID: UInt32 = 0

    /// Bytes of the whole frame: header, metadata and payload.
    var frameLength: Int { StorageFormat.blockHeaderLength + metaLength + payloadLength }

    /// The public kind of a data block (window or compacted).
    var blockKind: BlockKind { kind == .compacted ? .compacted : .window }

    /// Whether the metadata uses the compact encoding.
    var hasCompactMetadata: Bool { flags & Self.compactMetadataFlag != 0 }

    /// The frame for `payload` (compressed) and `meta` with this header's fields, the lengths and checksums
    /// computed from them.
    func frame(meta: [UInt8], payload: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: StorageFormat.blockHeaderLength + meta.count + payload.count)
        writer.append(StorageFormat.blockMagic)
        writer.u8(kind.rawValue)
        writer.u8(codec.rawValue)
        writer.u16(flags)
        writer.i64(start)
        writer.i64(end)
        writer.u32(UInt32(meta.count))
        writer.u32(UInt32(payload.count))
        writer.u32(UInt32(rawLength))
        writer.u32(CRC32C.checksum(payload))
        writer.u32(dictionaryID)
        let headerChecksum = CRC32C.checksum(meta, continuing: CRC32C.checksum(writer.bytes))
        writer.u32(headerChecksum)
        writer.append(meta)
        writer.append(payload)
        return writer.bytes
    }

    /// Parses the fixed header in `bytes[0..<48]` and checks magic, kind, codec, flags and length limits for a
    /// segment of format `version`.
    ///
    /// The header checksum cannot be checked yet (it also covers the metadata); see ``verify(_:meta:)``.
    static func parse(_ bytes: [UInt8], version: UInt16) throws(FormatError) -> BlockHeader {
        guard bytes.count >= StorageFormat.blockHeaderLength else { throw FormatError("block header is truncated") }
        guard Array(bytes[0..<4]) == StorageFormat.blockMagic else { throw FormatError("bad block magic") }
        guard let kind = Kind(rawValue: bytes[4]), version >= 2 || kind != .dictionary else {
            throw FormatError("unknown block kind \(bytes[4])")
        }
        guard let codec = Codec(rawValue: bytes[5]), version >= 2 || codec == .zstd else {
            throw FormatError("unknown block codec \(bytes[5])")
        }
        var header = BlockHeader(
            kind: kind, codec: codec,
            start: Int64(bitPattern: bytes.littleEndian(at: 8, width: 8)),
            end: Int64(bitPattern: bytes.littleEndian(at: 16, width: 8)),
            metaLength: Int(bytes.littleEndian(at: 24, width: 4)),
            payloadLength: Int(bytes.littleEndian(at: 28, width: 4)),
            rawLength: Int(bytes.littleEndian(at: 32, width: 4)),
            payloadChecksum: UInt32(bytes.littleEndian(at: 36, width: 4)))
        if version >= 2 {
            header.flags = UInt16(bytes.littleEndian(at: 6, width: 2))
            header.dictionaryID = UInt32(bytes.littleEndian(at: 40, width: 4))
            guard header.flags & ~compactMetadataFlag == 0 else {
                throw FormatError("unknown block flags \(header.flags)")
            }
            if kind == .dictionary {
                guard codec == .zstd, header.flags == 0 else { throw FormatError("dictionary with codec \(codec)") }
            } else if codec == .zstdWithDictionary {
                guard header.hasCompactMetadata else { throw FormatError("codec 2 block without compact metadata") }
            }
        }
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
