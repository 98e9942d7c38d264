internal import CZstd

/// One-shot zstd compression of block payloads (`ZSTD_compress` / `ZSTD_decompress`).
///
/// Frames record their content size; decompression checks it against the size the block header promises and never
/// allocates more than the caller's bound, so a corrupt or hostile block cannot make the store allocate gigabytes.
/// Stateless and thread-safe (each call uses its own zstd context).
enum Zstd {
    /// The compression levels libzstd accepts.
    static var levels: ClosedRange<Int32> { ZSTD_minCLevel()...ZSTD_maxCLevel() }

    /// `bytes` as one zstd frame at `level`.
    static func compress(_ bytes: [UInt8], level: Int32) throws(FormatError) -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        guard ZSTD_isError(bound) == 0 else { throw FormatError("zstd cannot compress \(bytes.count) bytes") }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_compress(out.baseAddress, out.count, input.baseAddress, input.count, level)
            }
        }
        guard ZSTD_isError(written) == 0 else {
            throw FormatError("zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        output.removeLast(bound - written)
        return output
    }

    /// Decompresses one frame that must hold exactly `expectedCount` bytes.
    ///
    /// - Throws: ``FormatError`` when the frame is invalid, does not record its size, records another size, or
    ///   fails to decompress.
    static func decompress(_ bytes: [UInt8], expectedCount: Int) throws(FormatError) -> [UInt8] {
        try checkContentSize(bytes, expectedCount: expectedCount)
        var output = [UInt8](repeating: 0, count: expectedCount)
        let produced = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_decompress(out.baseAddress, out.count, input.baseAddress, input.count)
            }
        }
        return try checkProduced(produced, output: output, expectedCount: expectedCount)
    }

    /// Checks that `bytes` starts a zstd frame that records a content size of exactly `expectedCount` bytes, before
    /// anything is allocated for it.
    static func checkContentSize(_ bytes: [UInt8], expectedCount: Int) throws(FormatError) {
        let declared = bytes.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        if declared == CZstd_contentSizeError() { throw FormatError("payload is not a zstd frame") }
        if declared == CZstd_contentSizeUnknown() { throw FormatError("zstd frame does not record its size") }
        guard declared == UInt64(expectedCount) else {
            throw FormatError("zstd frame holds \(declared) bytes but the block header says \(expectedCount)")
        }
    }

    /// `output` when a decompression call returned `produced` == `expectedCount` bytes; throws otherwise.
    static func checkProduced(_ produced: Int, output: [UInt8], expectedCount: Int) throws(FormatError) -> [UInt8] {
        guard ZSTD_isError(produced) == 0 else {
            throw FormatError("zstd decompression failed: \(String(cString: ZSTD_getErrorName(produced)))")
        }
        guard produced == expectedCount else {
            throw FormatError("zstd frame decompressed to \(produced) bytes, expected \(expectedCount)")
        }
        return output
    }
}
