/// One segment file as the index knows it.
///
/// Invariant: ``blocks`` are the readable blocks of ``file`` in file order; ``scannedEnd`` is the offset just past
/// the last of them (or the header), where a reader resumes scanning when the file grows.
struct SegmentRecord: Sendable {
    var file: SegmentFile
    var header: SegmentHeader
    /// Data blocks (windows and compacted blocks); dictionaries are not data and are kept apart.
    var blocks: [BlockRecord]
    /// Dictionary frames, in file order.
    var dictionaries: [DictionaryRecord] = []
    /// Bytes of the file when last scanned or written (counted in ``StoreStatistics/bytesOnDisk``).
    var size: Int64
    /// Where the next scan starts.
    var scannedEnd: Int64

    var id: UInt64 { header.id }
    var name: String { StorageFormat.segmentFileName(header.id) }

    /// Earliest block start, or nil for an empty segment.
    var earliestStart: Int64? { blocks.map(\.header.start).min() }
    /// Latest block end, or nil for an empty segment.
    var latestEnd: Int64? { blocks.map(\.header.end).max() }
}
