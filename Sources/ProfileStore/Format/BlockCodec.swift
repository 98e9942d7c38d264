import ProfileModel

/// A block ready to be written: its frame bytes and what the index records about it.
struct EncodedBlock: Sendable {
    /// Header, metadata and payload, exactly as written to the segment.
    var frame: [UInt8]
    var header: BlockHeader
    var meta: BlockMeta
}

/// Turns profiles into block frames and block payloads back into profiles.
enum BlockCodec {
    /// Encodes `profile` (already normalized, see ``PayloadEncoder``) as one block covering `[start, end)`.
    ///
    /// - Throws: ``FormatError`` when the payload exceeds the format's limits or zstd fails.
    static func encode(
        _ profile: Profile, kind: BlockKind, start: Int64, end: Int64, windowCount: Int, level: Int32
    ) throws(FormatError) -> EncodedBlock {
        let raw = PayloadEncoder.encode(profile)
        guard raw.count <= StorageFormat.maximumRawLength else {
            let limit = StorageFormat.maximumRawLength
            throw FormatError("the encoded profile is \(raw.count) bytes, more than the \(limit) a block holds")
        }
        let payload = try Zstd.compress(raw, level: level)
        guard payload.count <= StorageFormat.maximumPayloadLength else {
            throw FormatError("the compressed profile is \(payload.count) bytes, more than a block holds")
        }
        let meta = BlockMeta(profile: profile, windowCount: windowCount)
        let metaBytes = meta.encoded()
        let frame = BlockHeader.frame(
            kind: kind, start: start, end: end, meta: metaBytes, payload: payload, rawLength: raw.count)
        let header = BlockHeader(
            kind: kind, start: start, end: end, metaLength: metaBytes.count, payloadLength: payload.count,
            rawLength: raw.count, payloadChecksum: CRC32C.checksum(payload))
        return EncodedBlock(frame: frame, header: header, meta: meta)
    }

    /// Checks the payload checksum, decompresses and decodes one block payload.
    static func decode(payload: [UInt8], header: BlockHeader) throws(FormatError) -> Profile {
        guard payload.count == header.payloadLength else {
            throw FormatError("payload is \(payload.count) bytes, the header says \(header.payloadLength)")
        }
        guard CRC32C.checksum(payload) == header.payloadChecksum else {
            throw FormatError("payload checksum mismatch")
        }
        return try PayloadDecoder.decode(try Zstd.decompress(payload, expectedCount: header.rawLength))
    }
}
