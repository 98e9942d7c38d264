/// A segment file under construction: written as `NNNNNNNN.seg.tmp`, then made visible atomically.
///
/// ``commit(segmentsDirectory:)`` `fsync`s the file, renames it to `NNNNNNNN.seg` (atomically replacing a file of
/// that name, which is how compaction swaps a segment) and `fsync`s the directory. Until then no reader sees it, and
/// a crash leaves only the `.tmp` file, which the next writer open deletes. ``abandon()`` removes it after a failure.
struct SegmentBuilder {
    let file: SegmentFile
    let header: SegmentHeader
    let temporaryPath: String
    let finalPath: String
    /// Bytes written so far (the offset of the next block).
    private(set) var size: Int64

    /// Creates the temporary file and writes `header`.
    init(header: SegmentHeader, segmentsDirectory: String) throws(SystemCallError) {
        let name = StorageFormat.segmentFileName(header.id)
        finalPath = segmentsDirectory + "/" + name
        temporaryPath = finalPath + ".tmp"
        try FileSystem.remove(temporaryPath)
        let file = try SegmentFile.create(id: header.id, path: temporaryPath, finalPath: finalPath)
        self.file = file
        self.header = header
        let bytes = header.encoded()
        do {
            try file.write(bytes, at: 0)
        } catch {
            try? FileSystem.remove(temporaryPath)
            throw error
        }
        size = Int64(bytes.count)
    }

    /// Appends `bytes` and returns the offset they were written at.
    mutating func append(_ bytes: [UInt8]) throws(SystemCallError) -> Int64 {
        let offset = size
        try file.write(bytes, at: offset)
        size += Int64(bytes.count)
        return offset
    }

    /// Makes the segment durable and visible under its final name.
    func commit(segmentsDirectory: String) throws(SystemCallError) {
        try file.sync()
        try FileSystem.rename(temporaryPath, to: finalPath)
        try FileSystem.syncDirectory(segmentsDirectory)
    }

    /// Removes the temporary file; errors are ignored (the next writer open removes it anyway).
    func abandon() {
        try? FileSystem.remove(temporaryPath)
    }
}
