internal import CompressNIO
internal import NIOCore

/// gzip compression for pprof files, with a hard cap on decompressed size.
///
/// Decompression drives zlib directly so that it can tell a complete stream from a truncated one (zlib's
/// `Z_STREAM_END`), and concatenated gzip members are accepted as `gunzip` and Go's `gzip.Reader` do. Trailing bytes
/// that are not another gzip member are an error.
enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1f && iterator.next() == 0x8b
    }

    /// `bytes` as one gzip member (with a gzip header, readable by `gunzip` and `go tool pprof`).
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let output = try input.compress(with: .gzip())
        return Array(output.readableBytesView)
    }

    /// The decompressed contents of the gzip stream `bytes`.
    ///
    /// - Throws: ``ProfileError`` with code `truncatedCompression` if the stream ends early, `corruptCompression` for
    ///   invalid data or trailing garbage, `tooLarge` once more than `limit` bytes would be produced.
    static func decompress(_ bytes: [UInt8], limit: Int) throws(ProfileError) -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        var output = ByteBuffer()
        output.reserveCapacity(min(max(bytes.count * 4, 4096), limit + 1))
        repeat {
            guard hasMagic(input.readableBytesView) else {
                throw ProfileError(
                    .corruptCompression,
                    "not a pprof profile: \(input.readableBytes) bytes of trailing data after the gzip stream")
            }
            try inflateMember(&input, into: &output, limit: limit)
        } while input.readableBytes > 0
        return Array(output.readableBytesView)
    }

    /// Inflates one gzip member from `input` onto the end of `output`, leaving `input` just after it.
    private static func inflateMember(
        _ input: inout ByteBuffer,
        into output: inout ByteBuffer,
        limit: Int
    ) throws(ProfileError) {
        let inflater: ZlibDecompressor
        do {
            inflater = try ZlibDecompressor(algorithm: .gzip)
        } catch {
            throw ProfileError(
                .compressionFailure, "cannot start gzip decompression: zlib failed (\(error))", cause: error)
        }
        while true {
            try ensureWritableSpace(&output, limit: limit)
            let progress = (input.readerIndex, output.writerIndex)
            do {
                try inflater.inflate(from: &input, to: &output)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // Output full: grow it and go on. zlib never reports this without progress while there is room, but
                // if it did, give up rather than loop forever.
                if output.writableBytes > 0 && progress == (input.readerIndex, output.writerIndex) {
                    throw ProfileError(
                        .corruptCompression, "not a pprof profile: gzip stream is corrupt (zlib made no progress)",
                        cause: error)
                }
                continue
            } catch {
                throw failure(error)
            }
            try checkLimit(output, limit: limit)
            // zlib returned without error: either the member ended, or it consumed all input without reaching its end.
            // Input left over means it ended. Otherwise ask once more with no input: an ended stream reports its end
            // again, an unfinished one reports that it needs more input.
            if input.readableBytes > 0 { return }
            try ensureWritableSpace(&output, limit: limit)
            var noInput = ByteBuffer(bytes: [0])
            noInput.moveReaderIndex(forwardBy: 1)
            do {
                try inflater.inflate(from: &noInput, to: &output)
            } catch {
                throw failure(error)
            }
            try checkLimit(output, limit: limit)
            return
        }
    }

    /// Grows `output` so it has room to write, allowing one byte past `limit` so that overflow is detectable.
    private static func ensureWritableSpace(_ output: inout ByteBuffer, limit: Int) throws(ProfileError) {
        guard output.writableBytes == 0 else { return }
        try checkLimit(output, limit: limit)
        let room = limit + 1 - output.writerIndex
        guard room > 0 else { throw tooLarge(limit) }
        output.reserveCapacity(minimumWritableBytes: min(max(output.capacity, 64 * 1024), room))
    }

    private static func checkLimit(_ output: ByteBuffer, limit: Int) throws(ProfileError) {
        if output.writerIndex > limit { throw tooLarge(limit) }
    }

    private static func tooLarge(_ limit: Int) -> ProfileError {
        ProfileError(
            .tooLarge,
            "pprof profile too large: it decompresses to more than \(limit) bytes (\(limit >> 20) MiB); "
                + "refusing to continue (possible gzip bomb)")
    }

    private static func failure(_ error: any Error) -> ProfileError {
        switch error as? CompressNIOError {
        case CompressNIOError.inputBufferOverflow?:
            return ProfileError(
                .truncatedCompression, "not a pprof profile: gzip stream is truncated", cause: error)
        case CompressNIOError.corruptData?:
            return ProfileError(
                .corruptCompression, "not a pprof profile: gzip stream is corrupt (bad header, data or checksum)",
                cause: error)
        default:
            return ProfileError(
                .compressionFailure, "cannot decompress pprof profile: zlib failed (\(error))", cause: error)
        }
    }
}
