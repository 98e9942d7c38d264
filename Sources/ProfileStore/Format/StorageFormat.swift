/// Constants of the on-disk format, storage/FORMAT.md version 2.
enum StorageFormat {
    /// The format version a writer puts into the header of every segment it creates.
    static let version: UInt16 = 2
    /// The versions a reader accepts; it refuses a segment of any other version.
    static let readableVersions: ClosedRange<UInt16> = 1...2
    /// First eight bytes of every segment file: `SCRCHSEG`.
    static let segmentMagic: [UInt8] = Array("SCRCHSEG".utf8)
    /// First four bytes of every block frame: `SBLK`.
    static let blockMagic: [UInt8] = Array("SBLK".utf8)
    /// Size of the fixed block header that precedes the metadata and the payload.
    static let blockHeaderLength = 48
    /// Largest metadata section a reader accepts.
    static let maximumMetaLength = 16 << 20
    /// Largest compressed payload a reader accepts.
    static let maximumPayloadLength = 512 << 20
    /// Largest uncompressed payload a reader accepts (and a writer produces).
    static let maximumRawLength = 1 << 30
    /// Most superseded segment ids one segment header may list.
    static let maximumSuperseded = 1 << 16
    /// Directory, under the store directory, that holds the segment files.
    static let segmentsDirectory = "segments"
    /// Suffix of a segment file.
    static let segmentSuffix = ".seg"
    /// Suffix of a segment being written by compaction, retention or rollover, renamed when complete.
    static let temporarySuffix = ".seg.tmp"

    /// `00000042.seg` for id 42: at least eight decimal digits, so names sort like ids up to 99 999 999.
    static func segmentFileName(_ id: UInt64) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits + segmentSuffix
    }

    /// The id in a segment file name (`00000042.seg` → 42), or nil if `name` is not one.
    static func segmentID(fromFileName name: String) -> UInt64? {
        guard name.hasSuffix(segmentSuffix) else { return nil }
        let digits = name.dropLast(segmentSuffix.count)
        guard digits.count >= 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(digits)
    }
}
