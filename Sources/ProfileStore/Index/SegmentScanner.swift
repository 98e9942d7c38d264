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
enum SegmentScanner {
    /// What was found at one offset.
    private enum Probe {
        /// A complete block with a valid header (and payload, when verified).
        case valid(BlockRecord)
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
    /// - Parameter verifyPayloads: also read every payload and check its CRC (used on the writer's last segment at
    ///   open, where a torn write must be found); otherwise payloads are checked when read.
    static func scan(
        _ file: SegmentFile, from start: Int64, size: Int64, verifyPayloads: Bool
    ) throws(SystemCallError) -> SegmentScan {
        var blocks: [BlockRecord] = []
        var damaged: [DamagedRange] = []
        var position = start
        var validEnd = start
        scanning: while position < size {
            switch try probe(file, at: position, size: size, verifyPayload: verifyPayloads) {
            case .valid(let record):
                blocks.append(record)
                position = record.end
                validEnd = position
            case .damaged(let length, let reason):
                damaged.append(DamagedRange(offset: position, length: length, reason: reason))
                position += length
            case .incomplete:
                break scanning
            case .badHeader(let reason):
                guard let next = try resynchronize(file, after: position, size: size) else { break scanning }
                damaged.append(DamagedRange(offset: position, length: next - position, reason: reason))
                position = next
            }
        }
        damaged.removeAll { $0.offset >= validEnd }
        return SegmentScan(blocks: blocks, damaged: damaged, validEnd: validEnd, fileSize: size)
    }

    private static func probe(
        _ file: SegmentFile, at offset: Int64, size: Int64, verifyPayload: Bool
    ) throws(SystemCallError) -> Probe {
        let headerLength = StorageFormat.blockHeaderLength
        guard size - offset >= Int64(headerLength) else { return .badHeader("truncated block header") }
        var bytes = try file.read(at: offset, count: Int(min(Int64(headerLength + 1024), size - offset)))
        let header: BlockHeader
        do {
            header = try BlockHeader.parse(bytes)
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
        let meta: BlockMeta
        do {
            meta = try BlockMeta.decode(bytes, range: headerLength..<metaEnd)
        } catch {
            return .damaged(frameLength: frameLength, reason: "undecodable block metadata: \(error.message)")
        }
        let record = BlockRecord(offset: offset, header: header, meta: meta)
        if verifyPayload {
            let payload = try file.read(at: record.payloadOffset, count: header.payloadLength)
            guard payload.count == header.payloadLength, CRC32C.checksum(payload) == header.payloadChecksum else {
                return .damaged(frameLength: frameLength, reason: "payload checksum mismatch")
            }
        }
        return .valid(record)
    }

    /// The first offset after `offset` that holds a block magic and a valid block header, or nil if none.
    private static func resynchronize(
        _ file: SegmentFile, after offset: Int64, size: Int64
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
                switch try probe(file, at: candidate, size: size, verifyPayload: false) {
                case .badHeader: continue
                case .valid, .damaged, .incomplete: return candidate
                }
            }
            // Overlap so a magic split across two chunks is still found.
            chunkStart += Int64(chunk.count - (magic.count - 1))
        }
        return nil
    }
}
