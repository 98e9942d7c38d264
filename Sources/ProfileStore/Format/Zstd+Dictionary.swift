internal import CZstd

/// A zstd raw-content dictionary prepared for compression at one level (a `ZSTD_CDict`).
///
/// Immutable once created; libzstd documents a `ZSTD_CDict` as safe to share between threads, so one instance may
/// compress on any thread.
final class ZstdCompressionDictionary: @unchecked Sendable {
    fileprivate let pointer: OpaquePointer

    /// Digests `content` (the dictionary's bytes, see ``Zstd/isUsableDictionary(_:)``) for compression at `level`.
    init(content: [UInt8], level: Int32) throws(FormatError) {
        guard Zstd.isUsableDictionary(content) else { throw FormatError("not a raw-content zstd dictionary") }
        let created = content.withUnsafeBytes { ZSTD_createCDict($0.baseAddress, $0.count, level) }
        guard let created else { throw FormatError("zstd cannot prepare a dictionary of \(content.count) bytes") }
        pointer = created
    }

    deinit {
        ZSTD_freeCDict(pointer)
    }
}

/// A zstd raw-content dictionary prepared for decompression (a `ZSTD_DDict`); immutable and shareable like
/// ``ZstdCompressionDictionary``.
final class ZstdDecompressionDictionary: @unchecked Sendable {
    fileprivate let pointer: OpaquePointer

    init(content: [UInt8]) throws(FormatError) {
        guard Zstd.isUsableDictionary(content) else { throw FormatError("not a raw-content zstd dictionary") }
        let created = content.withUnsafeBytes { ZSTD_createDDict($0.baseAddress, $0.count) }
        guard let created else { throw FormatError("zstd cannot load a dictionary of \(content.count) bytes") }
        pointer = created
    }

    deinit {
        ZSTD_freeDDict(pointer)
    }
}

extension Zstd {
    /// The first four bytes of a zstd *formatted* dictionary (`ZSTD_MAGIC_DICTIONARY`, little-endian).
    static let formattedDictionaryMagic: [UInt8] = [0x37, 0xA4, 0x30, 0xEC]

    /// Whether libzstd takes `content` as raw content: `ZSTD_createCDict` and `ZSTD_createDDict` parse content that
    /// starts with ``formattedDictionaryMagic`` as a formatted dictionary instead, so the store never writes such
    /// content and rejects it when reading. (At least 8 bytes, libzstd's minimum for raw content.)
    static func isUsableDictionary(_ content: [UInt8]) -> Bool {
        content.count >= 8 && !content.starts(with: formattedDictionaryMagic)
    }

    /// `bytes` as one zstd frame compressed with `dictionary` (`ZSTD_compress_usingCDict`). The frame records its
    /// content size and no dictionary id.
    static func compress(
        _ bytes: [UInt8], dictionary: ZstdCompressionDictionary
    ) throws(FormatError) -> [UInt8] {
        guard let context = ZSTD_createCCtx() else { throw FormatError("zstd cannot allocate a compression context") }
        defer { ZSTD_freeCCtx(context) }
        let bound = ZSTD_compressBound(bytes.count)
        guard ZSTD_isError(bound) == 0 else { throw FormatError("zstd cannot compress \(bytes.count) bytes") }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_compress_usingCDict(
                    context, out.baseAddress, out.count, input.baseAddress, input.count, dictionary.pointer)
            }
        }
        guard ZSTD_isError(written) == 0 else {
            throw FormatError("zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        output.removeLast(bound - written)
        return output
    }

    /// Decompresses one frame compressed with `dictionary` that must hold exactly `expectedCount` bytes; the checks
    /// are those of ``decompress(_:expectedCount:)``.
    static func decompress(
        _ bytes: [UInt8], expectedCount: Int, dictionary: ZstdDecompressionDictionary
    ) throws(FormatError) -> [UInt8] {
        try checkContentSize(bytes, expectedCount: expectedCount)
        guard let context = ZSTD_createDCtx() else {
            throw FormatError("zstd cannot allocate a decompression context")
        }
        defer { ZSTD_freeDCtx(context) }
        var output = [UInt8](repeating: 0, count: expectedCount)
        let produced = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_decompress_usingDDict(
                    context, out.baseAddress, out.count, input.baseAddress, input.count, dictionary.pointer)
            }
        }
        return try checkProduced(produced, output: output, expectedCount: expectedCount)
    }
}
