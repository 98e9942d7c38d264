import ProfileModel

/// A dictionary as the writer holds it: the context its blocks are written against, its content, its frame, and the
/// prepared zstd dictionary (storage/FORMAT.md, "Dictionaries").
///
/// The content is a codec 2 payload written against the context (so it holds every row of the context, in the
/// context's order, plus typical sample bytes); the id is its CRC-32C, which lets a reader verify the content after
/// decompressing it. Immutable; shared by the appends of one writer.
final class BlockDictionary: Sendable {
    let id: UInt32
    /// The raw-content zstd dictionary.
    let content: [UInt8]
    /// The tables blocks written with this dictionary start with.
    let context: PayloadTables
    /// ``ContextPayloadEncoder/contextPart(_:)`` of ``context``: the first bytes of the content and of every payload
    /// written with this dictionary.
    let contextPart: [UInt8]
    /// The label summary of the context's label sets: the metadata of the dictionary frame, relative to which the
    /// metadata of its blocks is written.
    let vocabulary: LabelSummary
    /// One copy of the dictionary frame; writers write it twice.
    let frame: [UInt8]
    let header: BlockHeader
    let compressor: ZstdCompressionDictionary

    /// zstd level of the dictionary frame's payload: dictionaries are written rarely (once per segment or refresh)
    /// and read once per reader, so they get the best ratio (about 75 ms for 200 KiB).
    static let contentLevel: Int32 = 19

    private init(
        content: [UInt8], context: PayloadTables, contextPart: [UInt8], vocabulary: LabelSummary, frame: [UInt8],
        header: BlockHeader, level: Int32
    ) throws(FormatError) {
        id = header.dictionaryID
        self.content = content
        // Layered: every window encoded against it, and the writer's candidates, share its rows without copying.
        self.context = context.layered()
        self.contextPart = contextPart
        self.vocabulary = vocabulary
        self.frame = frame
        self.header = header
        compressor = try ZstdCompressionDictionary(content: content, level: level)
    }

    /// Builds the dictionary for `context`, with `example` (a profile whose rows are all in `context`) as the
    /// sample part of the content.
    ///
    /// - Parameters:
    ///   - start: the start of the window it is made for (informational, in the frame header).
    ///   - excluding: ids the new dictionary must not have (those already in the segment); the content is varied
    ///     until its CRC is not among them.
    ///   - level: zstd level of the blocks compressed with it.
    convenience init(
        context: PayloadTables, example: Profile, start: Int64, end: Int64, level: Int32, excluding: Set<UInt32>
    ) throws(FormatError) {
        var example = example
        let contextPart = ContextPayloadEncoder.contextPart(context)
        var content = contextPart + ContextPayloadEncoder.encode(example, context: context).blockPart
        var attempt = 0
        while excluding.contains(CRC32C.checksum(content)) || !Zstd.isUsableDictionary(content) {
            attempt += 1
            example.comments.append("scorch dictionary variant \(attempt)")
            content = contextPart + ContextPayloadEncoder.encode(example, context: context).blockPart
        }
        var vocabulary = LabelSummary()
        for labels in context.labelSets.rows() {
            for label in labels {
                let key = context.string(at: label.key)
                switch label.kind {
                case 0: vocabulary.insert(.string(key, context.string(at: label.string)))
                default: vocabulary.insert(.number(key, label.number))
                }
            }
        }
        var meta = ByteWriter()
        vocabulary.compactEncode(into: &meta, vocabulary: nil)
        let payload = try Zstd.compress(content, level: Self.contentLevel)
        let header = BlockHeader(
            kind: .dictionary, start: start, end: end, metaLength: meta.bytes.count, payloadLength: payload.count,
            rawLength: content.count, payloadChecksum: CRC32C.checksum(payload),
            dictionaryID: CRC32C.checksum(content))
        try self.init(
            content: content, context: context, contextPart: contextPart, vocabulary: vocabulary,
            frame: header.frame(meta: meta.bytes, payload: payload), header: header, level: level)
    }

    /// Takes up a dictionary from its frame as found in a segment: its content, and the context that content was
    /// written against (the rows of its tables).
    ///
    /// - Throws: ``FormatError`` when the frame is damaged or its content is not a codec 2 payload.
    convenience init(frame: [UInt8], record: DictionaryRecord, level: Int32) throws(FormatError) {
        let payloadStart = StorageFormat.blockHeaderLength + record.header.metaLength
        guard frame.count == record.header.frameLength else { throw FormatError("dictionary frame is truncated") }
        let content = try Self.content(payload: Array(frame[payloadStart...]), header: record.header)
        let context = try PayloadDecoder.contextTables(content)
        let contextPart = ContextPayloadEncoder.contextPart(context)
        guard content.starts(with: contextPart) else {
            throw FormatError("dictionary \(record.id) does not start with the context part of its own tables")
        }
        try self.init(
            content: content, context: context, contextPart: contextPart, vocabulary: record.vocabulary, frame: frame,
            header: record.header, level: level)
    }

    /// The vocabulary stored in the metadata of a dictionary frame.
    static func decodeVocabulary(_ bytes: [UInt8], range: Range<Int>) throws(FormatError) -> LabelSummary {
        var r = ByteReader(bytes, range: range)
        let vocabulary = try LabelSummary.compactDecode(&r, vocabulary: nil)
        guard r.isAtEnd else { throw FormatError("\(r.remaining) unexpected bytes after the dictionary metadata") }
        return vocabulary
    }

    /// The content of a dictionary frame's payload, checked against the dictionary id it must hash to.
    static func content(payload: [UInt8], header: BlockHeader) throws(FormatError) -> [UInt8] {
        guard payload.count == header.payloadLength, CRC32C.checksum(payload) == header.payloadChecksum else {
            throw FormatError("dictionary payload checksum mismatch")
        }
        let content = try Zstd.decompress(payload, expectedCount: header.rawLength)
        guard CRC32C.checksum(content) == header.dictionaryID, Zstd.isUsableDictionary(content) else {
            throw FormatError("dictionary content does not match its id \(header.dictionaryID)")
        }
        return content
    }
}
