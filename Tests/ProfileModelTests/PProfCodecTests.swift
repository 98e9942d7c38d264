import Testing

@testable import ProfileModel

@Suite struct PProfCodecTests {
    @Test func roundTripsUncompressed() throws {
        let p = Fixtures.small()
        #expect(try Profile(pprof: p.pprofData(compressed: false)) == p)
    }

    @Test func roundTripsCompressed() throws {
        let p = Fixtures.small()
        let data = p.pprofData()
        #expect(Array(data.prefix(2)) == [0x1f, 0x8b])
        #expect(try Profile(pprof: data) == p)
    }

    @Test func roundTripsEveryField() throws {
        let p = Profile(
            sampleTypes: [ValueType(type: "alloc_space", unit: "bytes")],
            samples: [
                Sample(
                    locationIDs: [1], values: [-5],
                    labels: [.number("size", 4096, unit: "bytes"), .number("pid", 0), .string("k", "v")])
            ],
            mappings: [
                Mapping(
                    id: 1, start: 10, limit: 20, offset: 30, file: "[vdso]", buildID: "b", hasFunctions: true,
                    hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true)
            ],
            locations: [
                Location(
                    id: 1, mappingID: 1, address: 15, lines: [Line(functionID: 1, line: 2, column: 9)], isFolded: true)
            ],
            functions: [Function(id: 1, name: "n", systemName: "s", filename: "f", startLine: -1)],
            dropFrames: "drop", keepFrames: "keep", timeNanos: -3, durationNanos: 4,
            periodType: ValueType(type: "space", unit: "bytes"), period: 524_288,
            comments: ["c1", "c2", "c1"], defaultSampleType: "alloc_space", docURL: "https://example.com/heap")
        #expect(try Profile(pprof: p.pprofData()) == p)
        #expect(try Profile(pprof: p.pprofData(compressed: false)) == p)
    }

    @Test func encodingIsDeterministic() {
        #expect(Fixtures.small().pprofData() == Fixtures.small().pprofData())
    }

    @Test func stringTableStartsEmptyAndIsDeduplicated() throws {
        let message = PProfEncoder.message(for: Fixtures.small())
        #expect(message.stringTable.first == "")
        #expect(Set(message.stringTable).count == message.stringTable.count)
    }

    @Test func emptyInput() {
        #expect(decodeError([])?.code == .emptyInput)
    }

    @Test func outOfRangeStringIndex() throws {
        var message = PProfEncoder.message(for: Fixtures.small())
        message.function[2].name = 9999
        let bytes: [UInt8] = try message.serializedBytes()
        let error = decodeError(bytes)
        #expect(error?.code == .invalidStringIndex)
        #expect(error?.message.hasPrefix("invalid pprof: function 3 name refers to string 9999") == true)
        message.function[2].name = -1
        #expect(decodeError(try message.serializedBytes())?.code == .invalidStringIndex)
    }

    @Test func stringTableMustStartWithEmptyString() throws {
        var message = PProfEncoder.message(for: Fixtures.small())
        message.stringTable[0] = "x"
        #expect(decodeError(try message.serializedBytes())?.code == .invalidStringIndex)
    }

    @Test func truncatedGzip() {
        let data = Fixtures.small().pprofData()
        for cut in [data.count - 1, data.count - 8, data.count / 2, 12] {
            let error = decodeError(Array(data.prefix(cut)))
            #expect(error?.code == .truncatedCompression, "cut at \(cut): \(String(describing: error))")
        }
        #expect(decodeError(Array(data.prefix(5)))?.message == "not a pprof profile: gzip stream is truncated")
    }

    @Test func corruptGzip() {
        var data = Fixtures.small().pprofData()
        data[data.count - 6] ^= 0xff  // CRC-32 of the trailer.
        #expect(decodeError(data)?.code == .corruptCompression)
        #expect(decodeError([0x1f, 0x8b, 0xff, 0xff, 0xff])?.code == .corruptCompression)
    }

    @Test func trailingGarbageAfterGzip() {
        let data = Fixtures.small().pprofData() + [0x00, 0x01]
        let error = decodeError(data)
        #expect(error?.code == .corruptCompression)
        #expect(error?.message == "not a pprof profile: 2 bytes of trailing data after the gzip stream")
    }

    @Test func concatenatedGzipMembers() throws {
        let raw = Fixtures.small().pprofData(compressed: false)
        let half = raw.count / 2
        let data = try Gzip.compress(Array(raw[..<half])) + Gzip.compress(Array(raw[half...]))
        #expect(try Profile(pprof: data) == Fixtures.small())
    }

    @Test func gzipBombIsRefused() throws {
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 4 << 20))
        #expect(bomb.count < 64 << 10)
        let error = decodeError(bomb, limit: 1 << 20)
        #expect(error?.code == .tooLarge)
        #expect(error?.message.hasPrefix("pprof profile too large: it decompresses to more than 1048576 bytes") == true)
        #expect(Profile.defaultMaxDecompressedBytes == 512 << 20)
    }

    @Test func decompressionLimitIsInclusive() throws {
        let raw = [UInt8](repeating: 7, count: 100_000)
        #expect(try Gzip.decompress(Gzip.compress(raw), limit: raw.count) == raw)
        #expect(throws: ProfileError.self) { try Gzip.decompress(Gzip.compress(raw), limit: raw.count - 1) }
    }

    @Test func notAProfile() {
        let error = decodeError(Array("hello, world".utf8))
        #expect(error?.code == .malformedProtobuf || error?.code == .invalidStringIndex)
    }

    private func decodeError(_ bytes: [UInt8], limit: Int = Profile.defaultMaxDecompressedBytes) -> ProfileError? {
        do {
            _ = try Profile(pprof: bytes, maxDecompressedBytes: limit)
            return nil
        } catch {
            return error
        }
    }
}
