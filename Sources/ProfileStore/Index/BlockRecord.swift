/// One readable block as the index records it: where it is and what its header and metadata say.
struct BlockRecord: Sendable {
    /// Offset of the frame in its segment.
    var offset: Int64
    var header: BlockHeader
    var meta: BlockMeta
    /// For a codec 2 block: the copies of its dictionary earlier in the segment (at least one).
    var dictionaryCopies: [DictionaryRecord] = []

    /// Bytes of the whole frame.
    var frameLength: Int64 { Int64(header.frameLength) }
    /// Offset just past the frame.
    var end: Int64 { offset + frameLength }
    /// Offset of the compressed payload.
    var payloadOffset: Int64 { offset + Int64(StorageFormat.blockHeaderLength + header.metaLength) }

    /// Whether the block's time range overlaps `[from, to)`. A block with `start == end` covers the instant `start`.
    func overlaps(from: Int64, to: Int64) -> Bool {
        header.start < to && max(header.end, header.start.addingSaturated(1)) > from
    }
}

/// A block and the open file it lives in: what a reader needs to read it without holding any lock.
struct BlockRef: Sendable {
    var file: SegmentFile
    var record: BlockRecord

    /// Identifies the block across rewrites: a rewritten segment is a new file (new inode).
    var address: BlockAddress { BlockAddress(file: file.identity, offset: record.offset) }

    func info() -> StoredWindowInfo {
        StoredWindowInfo(
            start: record.header.start, end: record.header.end, kind: record.header.blockKind,
            windowCount: record.meta.windowCount, sampleTypes: record.meta.sampleTypes, totals: record.meta.totals,
            sampleRows: record.meta.sampleRows, labels: record.meta.labels, segmentID: file.id,
            offset: record.offset, storedBytes: record.header.frameLength, rawBytes: record.header.rawLength)
    }
}

/// A block's identity: the file (device and inode) and the frame offset.
struct BlockAddress: Sendable, Hashable {
    var file: FileIdentity
    var offset: Int64
}

/// One dictionary frame as the index records it (storage/FORMAT.md, "Dictionaries"). Its payload is read and checked
/// only when a block that needs it is read.
struct DictionaryRecord: Sendable {
    /// Offset of the frame in its segment.
    var offset: Int64
    var header: BlockHeader
    /// The label summary in the frame's metadata, relative to which its blocks' metadata is written.
    var vocabulary: LabelSummary

    var id: UInt32 { header.dictionaryID }
    var frameLength: Int64 { Int64(header.frameLength) }
    var end: Int64 { offset + frameLength }
    var payloadOffset: Int64 { offset + Int64(StorageFormat.blockHeaderLength + header.metaLength) }
}
