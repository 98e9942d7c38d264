internal import SwiftProtobuf

extension Profile {
    /// The default cap on the decompressed size of a pprof file: 512 MiB.
    public static let defaultMaxDecompressedBytes = 512 << 20

    /// The profile in pprof format: a protobuf `perftools.profiles.Profile`, gzip-compressed unless `compressed` is
    /// false.
    ///
    /// The output is deterministic for equal profiles (string table in traversal order, fixed gzip header), so it can
    /// be pinned by golden files. If zlib cannot allocate memory, the uncompressed encoding is returned; every pprof
    /// reader, including ``init(pprof:maxDecompressedBytes:)``, accepts both.
    public func pprofData(compressed: Bool = true) -> [UInt8] {
        let message = PProfEncoder.message(for: self)
        let raw: [UInt8]
        do {
            raw = try message.serializedBytes()
        } catch {
            // Binary encoding fails only for proto2 required fields and `Any` transcoding; profile.proto has neither.
            preconditionFailure("encoding a pprof profile cannot fail: \(error)")
        }
        guard compressed else { return raw }
        return (try? Gzip.compress(raw)) ?? raw
    }

    /// Decodes a pprof file: gzip-compressed (detected by the `1f 8b` magic number) or raw protobuf.
    ///
    /// Safe on arbitrary input: it only ever throws ``ProfileError``, never traps. The decoded profile is validated
    /// (see ``validate()``).
    ///
    /// - Parameter maxDecompressedBytes: decompression stops with ``ProfileError/Code/tooLarge`` beyond this size,
    ///   which defuses gzip bombs.
    public init(pprof bytes: [UInt8], maxDecompressedBytes: Int = Profile.defaultMaxDecompressedBytes)
        throws(ProfileError)
    {
        guard !bytes.isEmpty else {
            throw ProfileError(.emptyInput, "not a pprof profile: the input is empty")
        }
        let raw = Gzip.hasMagic(bytes) ? try Gzip.decompress(bytes, limit: maxDecompressedBytes) : bytes
        let message: Perftools_Profiles_Profile
        do {
            var options = BinaryDecodingOptions()
            options.discardUnknownFields = true
            message = try Perftools_Profiles_Profile(serializedBytes: raw, options: options)
        } catch {
            throw ProfileError(
                .malformedProtobuf, "not a pprof profile: protobuf decoding failed (\(error))", cause: error)
        }
        self = try PProfDecoder.profile(from: message)
        try validate()
    }
}
