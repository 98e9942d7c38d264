/// Damaged bytes found while scanning a segment.
struct DamagedRange: Sendable, Equatable {
    var offset: Int64
    var length: Int64
    /// Why the bytes were rejected, e.g. `block header checksum mismatch`.
    var reason: String
}

/// The outcome of scanning part of a segment.
///
/// Everything from ``validEnd`` to ``fileSize`` is the tail: bytes that do not (yet) form a complete, valid block.
/// After a crash the writer truncates it; a reader treats it as a block still being written and scans it again
/// next time. ``damaged`` lists only ranges before ``validEnd``: corruption with readable blocks after it.
struct SegmentScan: Sendable {
    var blocks: [BlockRecord]
    /// Dictionary frames found (not data blocks).
    var dictionaries: [DictionaryRecord]
    var damaged: [DamagedRange]
    var validEnd: Int64
    var fileSize: Int64

    var tailLength: Int64 { fileSize - validEnd }
}

/// Finds the blocks of a segment file by their framing, and resynchronizes after damage.
///
/// Each frame starts with the magic `SBLK` and a header whose CRC covers its lengths, so a damaged header is never
/// trusted: the scanner searches forward for the next offset holding the magic and a header with a valid checksum.
/// A frame whose header is valid but whose payload fails its checksum is skipped by its (trusted) length.
///
/// Dictionary frames (format version 2) are recorded apart from data blocks. A codec 2 block is recorded with the
/// copies of its dictionary found before it; a block whose dictionary has no copy with a valid header before it
/// cannot be read: it is reported as damaged, but its frame counts as valid (it is not a torn tail).
enum SegmentScanner {
    /// What was found at one offset.
    private enum Probe {
        /// A complete block with a valid header (and payload, when verified).
        case valid(BlockRecord)
        /// A complete dictionary frame with a valid header (and payload, when verified).
        case dictionary(DictionaryRecord)
        /// A complete, valid frame that cannot be read (its dictionary is missing).
        case unusable(frameLength: Int64, reason: String)
        /// A complete frame whose header is valid but whose metadata or payload is not.
        case damaged(frameLength: Int64, reason: String)
        /// A valid header whose frame runs past the end of the file.
        case incomplete
        /// No valid header here.
        case badHeader(String)
    }

    /// Scans `file` from `start` (the first byte after the segment header, or where an earlier scan stopped) to
    /// `size`.
    ///
    /// - Parameters:
    ///   - version: the segment's format version.
    ///   - known: dictionary frames an earlier scan of the same segment found before `start`.
    ///   - verifyPayloads: also read every payload and check its CRC (used on the writer's last segment at open,
    ///     where a torn write must be found); otherwise payloads are checked when read.
    static func scan(
        _ file: SegmentFile, from start: Int64, size: Int64, version: UInt16, known: [DictionaryRecord] = [],
        verifyPayloads: Bool
    ) throws(SystemCallError) -> SegmentScan {
        var blocks: [BlockRecord] = []
        var dictionaries: [DictionaryRecord] = []
        var copies: [UInt32: [DictionaryRecord]] = Dictionary(grouping: known, by: \.id)
        var damaged: [DamagedRange] = []
        var position = start
        var validEnd = start
        scanning: while position < size {
            let probed = try probe(
                file, at: position, size: size, version: version, dictionaries: copies, verifyPayload: verifyPayloads)
            switch probed {
            case .valid(let record):
                blocks.append(record)
                position = record.end
                validEnd = position
            case .dictionary(let record):
                dictionaries.append(record)
                copies[record.id, default: []].append(record)
                position = record.end
                validEnd = position
            case .unusable(let length, let reason):
                damaged.append(DamagedRange(offset: position, length: length, reason: reason))
                position += length
                validEnd = position
            case .damaged(let length, let reason):
                damaged.append(DamagedRange(offset: position, length: length, reason: reason))
                position += length
            case .incomplete:
                break scanning
            case .badHeader(let reason):
                guard let next = try resynchronize(file, after: position, size: size, version: version) else {
                    break scanning
                }
                damaged.append(DamagedRange(offset: position, length: next - position, reason: reason))
                position = next
            }
        }
        damaged.removeAll { $0.offset >= validEnd }
        return SegmentScan(
            blocks: blocks, dictionaries: dictionaries, damaged: damaged, validEnd: validEnd, fileSize: size)
    }

    private static func probe(
        _ file: SegmentFile, at offset: Int64, size: Int64, version: UInt16,
        dictionaries: [UInt32: [DictionaryRecord]], verifyPayload: Bool
    ) throws(SystemCallError) -> Probe {
        let headerLength = StorageFormat.blockHeaderLength
        guard size - offset >= Int64(headerLength) else { return .badHeader("truncated block header") }
        var bytes = try file.read(at: offset, count: Int(min(Int64(headerLength + 1024), size - offset)))
        let header: BlockHeader
        do {
            header = try BlockHeader.parse(bytes, version: version)
        } catch {
            return .badHeader(error.message)
        }
        let metaEnd = headerLength + header.metaLength
        guard Int64(metaEnd) <= size - offset else { return .badHeader("block metadata runs past the end of the file") }
        if bytes.count < metaEnd {
            bytes += try file.read(at: offset + Int64(bytes.count), count: metaEnd - bytes.count)
            guard bytes.count == metaEnd else { return .badHeader("block metadata runs past the end of the file") }
        }
        do {
            try BlockHeader.verify(Array(bytes[0..<headerLength]), meta: bytes[headerLength..<metaEnd])
        } catch {
            return .badHeader(error.message)
        }
        let frameLength = Int64(header.frameLength)
        guard frameLength <= size - offset else { return .incomplete }
        if verifyPayload {
            let payloadOffset = offset + Int64(metaEnd)
            let payload = try file.read(at: payloadOffset, count: header.payloadLength)
            guard payload.count == header.payloadLength, CRC32C.checksum(payload) == header.payloadChecksum else {
                return .damaged(frameLength: frameLength, reason: "payload checksum mismatch")
            }
        }
        let metaRange = headerLength..<metaEnd
        if header.kind == .dictionary {
            do {
                let vocabulary = try BlockDictionary.decodeVocabulary(bytes, range: metaRange)
                return .dictionary(DictionaryRecord(offset: offset, header: header, vocabulary: vocabulary))
            } catch {
                return .damaged(frameLength: frameLength, reason: "undecodable dictionary metadata: \(error.message)")
            }
        }
        var copies: [DictionaryRecord] = []
        if header.codec == .zstdWithDictionary {
            copies = dictionaries[header.dictionaryID] ?? []
            guard !copies.isEmpty else {
                return .unusable(
                    frameLength: frameLength,
                    reason: "block needs dictionary \(header.dictionaryID), which is missing or damaged")
            }
        }
        let meta: BlockMeta
        do {
            meta =
                header.hasCompactMetadata
                ? try BlockMeta.decodeCompact(bytes, range: metaRange, vocabulary: copies.first?.vocabulary)
                : try BlockMeta.decode(bytes, range: metaRange)
        } catch {
            return .damaged(frameLength: frameLength, reason: "undecodable block metadata: \(error.message)")
        }
        return .valid(BlockRecord(offset: offset, header: header, meta: meta, dictionaryCopies: copies))
    }

    /// The first offset after `offset` that holds a block magic and a valid block header, or nil if none.
    private static func resynchronize(
        _ file: SegmentFile, after offset: Int64, size: Int64, version: UInt16
    ) throws(SystemCallError) -> Int64? {
        let magic = StorageFormat.blockMagic
        let chunkLength = 64 << 10
        var chunkStart = offset + 1
        while chunkStart < size {
            let chunk = try file.read(at: chunkStart, count: Int(min(Int64(chunkLength), size - chunkStart)))
            if chunk.count < magic.count { return nil }
            for i in 0...(chunk.count - magic.count)
            where chunk[i] == magic[0] && chunk[i + 1] == magic[1] && chunk[i + 2] == magic[2]
                && chunk[i + 3] == magic[3]
            {
                let candidate = chunkStart + Int64(i)
                switch try probe(
                    file, at: candidate, size: size, version: version, dictionaries: [:], verifyPayload: false)
                {
                case .badHeader: continue
                case .valid, .dictionary, .unusable, .damaged, .incomplete: return candidate
                }
            }
            // Overlap so a magic split across two chunks is still found.
            chunkStart += Int64(chunk.count - (magic.count - 1))
        }
        return nil
    }
}
