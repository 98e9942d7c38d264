import ProfileModel
import Testing

/// Decoding must never trap: arbitrary bytes either decode to a valid profile or throw `ProfileError` (the only
/// error type `init(pprof:)` can throw). Every profile that does decode must also survive the reports and re-encoding.
@Suite struct PProfFuzzTests {
    private static let iterations = 1_500

    @Test func randomBytes() {
        var rng = SeededGenerator(seed: 0x5C0_4C4)
        var decoded = 0
        for _ in 0..<Self.iterations {
            let count = Int.random(in: 0...256, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) && bytes.count >= 2 {
                bytes[0] = 0x1f
                bytes[1] = 0x8b
            }
            decoded += exercise(bytes) ? 1 : 0
        }
        // Random bytes are almost never a valid profile; mostly this checks for traps.
        #expect(decoded < Self.iterations)
    }

    @Test func mutatedProfiles() {
        var rng = SeededGenerator(seed: 42)
        let raw = Fixtures.small().pprofData(compressed: false)
        let gzipped = Fixtures.small().pprofData()
        var decoded = 0
        for iteration in 0..<(Self.iterations * 2) {
            var bytes = iteration.isMultiple(of: 2) ? raw : gzipped
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                mutate(&bytes, using: &rng)
            }
            decoded += exercise(bytes) ? 1 : 0
        }
        #expect(decoded > 0, "some mutations (e.g. of values) still decode")
    }

    @Test func everyTruncation() {
        for data in [Fixtures.small().pprofData(compressed: false), Fixtures.small().pprofData()] {
            for cut in 0..<data.count {
                _ = exercise(Array(data.prefix(cut)))
            }
        }
    }

    private func mutate(_ bytes: inout [UInt8], using rng: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let position = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 1: bytes[position] = UInt8.random(in: 0...255, using: &rng)
        case 2: bytes.removeSubrange(position...)
        case 3: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
        case 4: bytes.remove(at: position)
        default: bytes[position] = [0x00, 0x7f, 0x80, 0xff][Int.random(in: 0..<4, using: &rng)]
        }
    }

    /// Decodes `bytes`; if that succeeds, runs everything that consumes a profile. Returns whether it decoded.
    private func exercise(_ bytes: [UInt8]) -> Bool {
        let profile: Profile
        do {
            profile = try Profile(pprof: bytes, maxDecompressedBytes: 1 << 20)
        } catch {
            #expect(!error.message.isEmpty)
            return false
        }
        _ = FoldedStacks.render(profile)
        _ = TopReport(profile).render()
        _ = TopReport(profile, sampleIndex: 0).render(nodes: 3, sortByCum: true)
        #expect((try? Profile(pprof: profile.pprofData())) == profile)
        _ = try? profile.merged(with: profile)
        return true
    }
}
