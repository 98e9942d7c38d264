import ProfileModel
import Testing

/// `scorch diff` reads two untrusted files: whatever the decoder accepts must go through every diff output without
/// trapping, and whatever it rejects must be a `ProfileError` with a message. Seeded, so a failure reproduces; the
/// time limit turns a hang into a failure.
@Suite struct DiffFuzzTests {
    @Test(.timeLimit(.minutes(3)))
    func mutatedProfilesThroughEveryDiffOutput() {
        var rng = SeededGenerator(seed: 0xD1FF)
        let reference = Fixtures.small()
        let encodings = [reference.pprofData(compressed: false), reference.pprofData()]
        var decoded = 0
        var compared = 0
        for iteration in 0..<3_000 {
            var bytes = encodings[iteration % 2]
            for _ in 0..<Int.random(in: 1...2, using: &rng) { mutate(&bytes, using: &rng) }
            let profile: Profile
            do {
                profile = try Profile(pprof: bytes, maxDecompressedBytes: 1 << 20)
            } catch {
                #expect(!error.message.isEmpty && !error.message.contains("\n"))
                continue
            }
            decoded += 1
            compared += exercise(base: reference, new: profile) ? 1 : 0
            compared += exercise(base: profile, new: reference) ? 1 : 0
        }
        #expect(decoded > 100 && compared > 100, "\(decoded) decoded, \(compared) compared")
    }

    @Test(.timeLimit(.minutes(1)))
    func randomBytesNeverTrap() {
        var rng = SeededGenerator(seed: 0xB17E5)
        for _ in 0..<2_000 {
            var bytes = (0..<Int.random(in: 0...512, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng), bytes.count > 2 { (bytes[0], bytes[1]) = (0x1f, 0x8b) }
            if let profile = try? Profile(pprof: bytes, maxDecompressedBytes: 1 << 20) {
                _ = exercise(base: Fixtures.small(), new: profile)
            }
        }
    }

    /// Runs every diff output; returns whether the profiles compared.
    private func exercise(base: Profile, new: Profile) -> Bool {
        for normalization in DiffNormalization.allCases {
            do {
                let report = try DiffTopReport(base: base, new: new, options: DiffOptions(normalization: normalization))
                _ = report.render(nodes: 0)
                _ = report.regressions(threshold: 1)
                for row in report.rows {
                    #expect(row.flat.delta.isFinite && (row.flat.z ?? 0).isFinite, "\(row)")
                }
                let graph = try FlameGraph(diffOf: new, base: base, normalization: normalization, maxNodes: 16)
                #expect(graph.root.nodeCount <= 16)
                _ = FoldedStacks.renderDiff(base: base, new: new, valueIndex: 0, normalization: normalization)
                _ = try Profile.diffBase(base: base, new: new, normalization: normalization).pprofData()
            } catch {
                #expect(!error.message.isEmpty)
                return false
            }
        }
        return true
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
}
