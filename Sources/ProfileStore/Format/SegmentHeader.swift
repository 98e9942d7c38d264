/// The header at offset 0 of every segment file (storage/FORMAT.md, "Segment header").
///
/// ```
/// 0   8   magic "SCRCHSEG"
/// 8   2   format version (u16, 1 or 2)
/// 10  2   flags (u16, 0)
/// 12  4   header length H in bytes, this field to the CRC inclusive (u32, 32 + 8n)
/// 16  8   segment id (u64), equal to the number in the file name
/// 24  4   n, the number of superseded segment ids (u32)
/// 28  8n  superseded segment ids (u64 each)
/// H-4 4   CRC-32C of bytes [0, H-4)
/// ```
///
/// A segment written by compaction lists the segments it replaces: a reader that finds both ignores the superseded
/// ones, so a crash between renaming the new segment into place and deleting the old ones never counts data twice.
struct SegmentHeader: Sendable, Equatable {
    /// The segment's id.
    var id: UInt64
    /// Ids of segments whose data this segment contains; they must be ignored (and deleted by a writer) if present.
    var superseded: [UInt64]
    /// The format version of the segment's blocks (see ``StorageFormat/readableVersions``).
    var version: UInt16 = StorageFormat.version

    /// Bytes before the superseded ids.
    static let fixedLength = 28

    /// Total encoded length, CRC included.
    var length: Int { Self.fixedLength + 8 * superseded.count + 4 }

    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: length)
        writer.append(StorageFormat.segmentMagic)
        writer.u16(version)
        writer.u16(0)
        writer.u32(UInt32(length))
        writer.u64(id)
        writer.u32(UInt32(superseded.count))
        for id in superseded { writer.u64(id) }
        writer.u32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// The total header length announced by the first `fixedLength` bytes, after checking the magic.
    ///
    /// Magic, version and length sit at the same offsets in every format version, and the CRC is always the last
    /// four bytes, so the checksum is verified before the version is trusted: a bit flip in the version field makes
    /// a damaged segment, not an unreadable store.
    ///
    /// - Throws: ``SegmentHeaderError/format(_:)`` for a wrong magic or an impossible length.
    static func announcedLength(_ prefix: [UInt8]) throws(SegmentHeaderError) -> Int {
        guard prefix.count >= fixedLength else { throw .format(FormatError("segment header is truncated")) }
        guard Array(prefix[0..<8]) == StorageFormat.segmentMagic else {
            throw .format(FormatError("not a scorch segment (bad magic)"))
        }
        let length = Int(prefix.littleEndian(at: 12, width: 4))
        guard length >= fixedLength + 4, length <= 1 << 20 else {
            throw .format(FormatError("segment header length \(length) is impossible"))
        }
        return length
    }

    /// Decodes and verifies a complete header (`bytes.count` at least the announced length).
    ///
    /// - Throws: ``SegmentHeaderError/format(_:)`` for a damaged header (checked first),
    ///   ``SegmentHeaderError/unsupportedVersion(_:)`` for an intact header of another version.
    static func decode(_ bytes: [UInt8]) throws(SegmentHeaderError) -> SegmentHeader {
        let length = try announcedLength(bytes)
        guard bytes.count >= length else { throw .format(FormatError("segment header is truncated")) }
        let stored = UInt32(bytes.littleEndian(at: length - 4, width: 4))
        guard stored == CRC32C.checksum(bytes[0..<length - 4]) else {
            throw .format(FormatError("segment header checksum mismatch"))
        }
        let version = UInt16(bytes.littleEndian(at: 8, width: 2))
        guard StorageFormat.readableVersions.contains(version) else { throw .unsupportedVersion(version) }
        let id = bytes.littleEndian(at: 16, width: 8)
        let count = Int(bytes.littleEndian(at: 24, width: 4))
        guard count <= StorageFormat.maximumSuperseded, fixedLength + 8 * count + 4 == length else {
            throw .format(FormatError("segment header lists \(count) superseded ids but is \(length) bytes long"))
        }
        let superseded = (0..<count).map { bytes.littleEndian(at: fixedLength + 8 * $0, width: 8) }
        return SegmentHeader(id: id, superseded: superseded, version: version)
    }
}

/// Why a segment header could not be read.
enum SegmentHeaderError: Error {
    /// The header is damaged or not a segment header.
    case format(FormatError)
    /// The segment was written in another format version.
    case unsupportedVersion(UInt16)
}
