import ProfileModel

/// A block ready to be written: its frame bytes and what the index records about it.
struct EncodedBlock: Sendable {
    /// Header, metadata and payload, exactly as written to the segment.
    var frame: [UInt8]
    var header: BlockHeader
    var meta: BlockMeta
    /// The dictionary the payload is compressed with (codec 2): its frame must precede the block in the segment.
    var dictionary: BlockDictionary?
}

/// Turns profiles into block frames and block payloads back into profiles.
enum BlockCodec {
    /// Encodes `profile` (already normalized, see ``PayloadEncoder``) as one block covering `[start, end)`.
    ///
    /// With a `dictionary`, the block uses codec 2 (format version 2): its tables start with the dictionary's context
    /// and its payload is compressed with the dictionary; the returned tables and usage feed the writer's choice of
    /// the next context. Without one, codec 1; `compactMetadata` selects the metadata encoding (version 2) or the
    /// version 1 encoding.
    ///
    /// - Throws: ``FormatError`` when the payload exceeds the format's limits or zstd fails.
    static func encode(
        _ profile: Profile, kind: BlockHeader.Kind, start: Int64, end: Int64, windowCount: Int, level: Int32,
        dictionary: BlockDictionary? = nil, compactMetadata: Bool
    ) throws(FormatError) -> (block: EncodedBlock, interned: ContextPayloadEncoder.Interned?) {
        let raw: [UInt8]
        let output: ContextPayloadEncoder.Interned?
        if let dictionary {
            let encoded = ContextPayloadEncoder.encode(profile, context: dictionary.context)
            raw = encoded.blockPart
            output = encoded.interned
        } else {
            raw = PayloadEncoder.encode(profile)
            output = nil
        }
        guard raw.count <= StorageFormat.maximumRawLength else {
            let limit = StorageFormat.maximumRawLength
            throw FormatError("the encoded profile is \(raw.count) bytes, more than the \(limit) a block holds")
        }
        let payload =
            if let dictionary {
                try Zstd.compress(raw, dictionary: dictionary.compressor)
            } else {
                try Zstd.compress(raw, level: level)
            }
        guard payload.count <= StorageFormat.maximumPayloadLength else {
            throw FormatError("the compressed profile is \(payload.count) bytes, more than a block holds")
        }
        let meta = BlockMeta(profile: profile, windowCount: windowCount)
        let compact = compactMetadata || dictionary != nil
        let metaBytes = compact ? meta.compactEncoded(vocabulary: dictionary?.vocabulary) : meta.encoded()
        let header = BlockHeader(
            kind: kind, codec: dictionary == nil ? .zstd : .zstdWithDictionary,
            flags: compact ? BlockHeader.compactMetadataFlag : 0, start: start, end: end, metaLength: metaBytes.count,
            payloadLength: payload.count, rawLength: raw.count, payloadChecksum: CRC32C.checksum(payload),
            dictionaryID: dictionary?.id ?? 0)
        let block = EncodedBlock(
            frame: header.frame(meta: metaBytes, payload: payload), header: header, meta: meta, dictionary: dictionary)
        return (block, output)
    }

    /// Checks the payload checksum, decompresses (with `dictionary` for codec 2) and decodes one block payload.
    static func decode(
        payload: [UInt8], header: BlockHeader, dictionary: LoadedDictionary? = nil
    ) throws(FormatError) -> Profile {
        var parsed = try parse(payload: payload, header: header, dictionary: dictionary)
        return try parsed.profile()
    }

    /// Checks the payload checksum, decompresses and parses one block payload, without making a `Profile` of it.
    static func parse(
        payload: [UInt8], header: BlockHeader, dictionary: LoadedDictionary? = nil
    ) throws(FormatError) -> PayloadDecoder.Parsed {
        guard payload.count == header.payloadLength else {
            throw FormatError("payload is \(payload.count) bytes, the header says \(header.payloadLength)")
        }
        guard CRC32C.checksum(payload) == header.payloadChecksum else {
            throw FormatError("payload checksum mismatch")
        }
        switch header.codec {
        case .zstd:
            return try PayloadDecoder.parse(codec1: try Zstd.decompress(payload, expectedCount: header.rawLength))
        case .zstdWithDictionary:
            guard let dictionary else { throw FormatError("dictionary \(header.dictionaryID) is not available") }
            let raw = try Zstd.decompress(payload, expectedCount: header.rawLength, dictionary: dictionary.decompressor)
            return try PayloadDecoder.parse(blockPart: raw, context: dictionary.context)
        }
    }
}

/// A dictionary as a reader holds it: prepared for decompression, and its context part parsed once for all the
/// blocks written with it.
struct LoadedDictionary: Sendable {
    var decompressor: ZstdDecompressionDictionary
    var context: PayloadDecoder.ParsedContext

    /// Loads the content of a dictionary frame (already checked against its id).
    ///
    /// - Throws: ``FormatError`` when the content does not start with a context part.
    init(content: [UInt8]) throws(FormatError) {
        decompressor = try ZstdDecompressionDictionary(content: content)
        context = try PayloadDecoder.parsedContext(content)
    }
}
