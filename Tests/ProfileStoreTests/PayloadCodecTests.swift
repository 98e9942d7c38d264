import ProfileModel
import Testing

@testable import ProfileStore

@Suite struct PayloadCodecTests {
    /// Encodes and decodes; the result must equal the normalized input.
    private func roundTrip(_ profile: Profile) throws -> (Profile, Profile) {
        let normalized = try Profile.merge([profile])
        let decoded = try PayloadDecoder.decode(PayloadEncoder.encode(normalized))
        return (decoded, normalized)
    }

    @Test func workloadWindowsRoundTrip() throws {
        for index in 0..<5 {
            let (decoded, normalized) = try roundTrip(Workload.small.window(index))
            #expect(decoded == normalized)
        }
    }

    @Test func everyFieldRoundTrips() throws {
        var b = ProfileBuilder(
            sampleTypes: [ValueType(type: "alloc", unit: "bytes"), ValueType(type: "weird", unit: "")],
            periodType: nil, period: -3, timeNanos: -7, durationNanos: Int64.max, defaultSampleType: "weird")
        let m = b.mapping(
            start: UInt64.max - 10, limit: 5, offset: UInt64.max, file: "", buildID: "ß", hasFunctions: false,
            hasFilenames: true, hasLineNumbers: false, hasInlineFrames: true)
        let f = b.function(name: "ƒ", systemName: "", filename: "x.c", startLine: -9)
        let l1 = b.location(
            mappingID: m, address: UInt64.max, lines: [Line(functionID: f, line: -1, column: 99)], isFolded: true)
        let l2 = b.location(mappingID: 0, address: 0, lines: [Line(functionID: 0, line: 0)])
        b.addSample(
            locationIDs: [l1, l2, l1], values: [Int64.min, Int64.max],
            labels: [
                .number("size", -4096, unit: "bytes"), .string("k", "v"), .number("n", Int64.min),
            ])
        b.addSample(locationIDs: [], values: [0, 0], labels: [])
        b.addSample(locationIDs: [l2], values: [6, -12], labels: [.string("k", "v")])
        b.addComment("one")
        b.addComment("two")
        b.setFrameFilters(drop: "drop.*", keep: "keep")
        b.setDocURL("https://example.com/doc")
        let (decoded, normalized) = try roundTrip(b.build())
        #expect(decoded == normalized)
    }

    @Test func sparseIDsAreRenumbered() throws {
        let profile = Profile(
            sampleTypes: [ValueType(type: "samples", unit: "count")],
            samples: [Sample(locationIDs: [90, 70], values: [3], labels: [.number("pid", 1)])],
            mappings: [Mapping(id: 50, start: 1, limit: 2, offset: 0, file: "a")],
            locations: [
                Location(id: 70, mappingID: 50, address: 1, lines: [Line(functionID: 30, line: 1)]),
                Location(id: 90, mappingID: 0, address: 5, lines: []),
            ],
            functions: [Function(id: 30, name: "f")])
        let (decoded, normalized) = try roundTrip(profile)
        #expect(decoded == normalized)
        #expect(decoded.locations.map(\.id) == [1, 2])
        #expect(decoded.samples[0].locationIDs == [2, 1])
    }

    @Test func valueColumnsDivideByTheirGCD() {
        #expect(PayloadEncoder.divisor([0, 0]) == 1)
        #expect(PayloadEncoder.divisor([52_631_578, 105_263_156, -52_631_578]) == 52_631_578)
        #expect(PayloadEncoder.divisor([Int64.min]) == 1)
        #expect(PayloadEncoder.divisor([6, 9]) == 3)
    }

    @Test func truncatedOrDamagedPayloadsThrowInsteadOfTrapping() throws {
        let bytes = PayloadEncoder.encode(try Profile.merge([Workload.small.window(1)]))
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            #expect(throws: FormatError.self) { try PayloadDecoder.decode(Array(bytes[..<cut])) }
        }
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<300 {
            var damaged = bytes
            damaged[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 << (rng.next() % 8))
            // Either an error or some valid profile: never a crash.
            if let profile = try? PayloadDecoder.decode(damaged) { try profile.validate() }
        }
    }

    @Test func blockMetaSummarizesLabelsAndTotals() throws {
        let profile = try Profile.merge([Workload.small.window(2)])
        let meta = BlockMeta(profile: profile, windowCount: 1)
        #expect(meta.totals[0] == Int64(Workload.small.samplesPerWindow))
        #expect(meta.totals[1] == Int64(Workload.small.samplesPerWindow) * Workload.small.period)
        #expect(meta.sampleRows == profile.samples.count)
        let comms = Set(profile.samples.flatMap { $0.labels.compactMap { $0.key == "comm" ? $0.string : nil } })
        #expect(meta.labels.keys["comm"]?.strings == comms)
        #expect(meta.labels.mayContain(.string("comm", comms.first ?? "")))
        #expect(!meta.labels.mayContain(.string("comm", "no-such-process")))
        #expect(!meta.labels.mayContain(.string("no_such_key", "x")))
        let encoded = meta.encoded()
        #expect(try BlockMeta.decode(encoded, range: 0..<encoded.count) == meta)
    }

    @Test func labelSummaryCapsDistinctValues() {
        var summary = LabelSummary()
        for tid in 0..<1000 { summary.insert(.number("tid", Int64(tid))) }
        #expect(summary.keys["tid"]?.isComplete == false)
        #expect(summary.keys["tid"]?.numbers.count == LabelSummary.maximumValuesPerKey)
        #expect(summary.mayContain(.number("tid", 999)))
    }
}
