import Foundation
import ProfileModel
import Testing

/// `Profile.diffBase` against `go tool pprof -diff_base`, the reference. Skipped without `go`.
@Suite(.enabled(if: GoToolchain.isInstalled, "go is not installed; skipping pprof interoperability tests"))
struct GoDiffInteropTests {
    @Test(.timeLimit(.minutes(5)))
    func goToolPprofAgreesWithOurDiffProfile() throws {
        let directory = try GoToolchain.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = StackProfiles.cpu(["main;work;hot_a": 750, "main;work;hot_b": 249, "main;gone": 1])
        let new = StackProfiles.cpu(["main;work;hot_a": 1201, "main;work;hot_b": 797, "main;work;hot_b;fresh": 3])
        let basePath = directory.appendingPathComponent("base.pb.gz").path
        let newPath = directory.appendingPathComponent("new.pb.gz").path
        try Data(base.pprofData()).write(to: URL(fileURLWithPath: basePath))
        try Data(new.pprofData()).write(to: URL(fileURLWithPath: newPath))

        for (normalization, flags) in [(DiffNormalization.absolute, [String]()), (.relative, ["-normalize"])] {
            let diffPath = directory.appendingPathComponent("diff-\(normalization).pb.gz").path
            let diff = try Profile.diffBase(base: base, new: new, normalization: normalization)
            try Data(diff.pprofData()).write(to: URL(fileURLWithPath: diffPath))
            for sampleIndex in ["samples", "cpu"] {
                // Every node shown (-nodefraction=0), so small ones such as `gone` are compared too.
                let common = [
                    "tool", "pprof", "-symbolize=none", "-top", "-nodefraction=0", "-sample_index=\(sampleIndex)",
                ]
                let reference = try GoToolchain.run(common + flags + ["-diff_base", basePath, newPath], in: directory)
                let ours = try GoToolchain.run(common + [diffPath], in: directory)
                try #require(reference.status == 0 && ours.status == 0, "\(reference.output)\n\(ours.output)")
                #expect(ours.output == reference.output, "\(normalization) \(sampleIndex)")
                #expect(reference.output.contains("hot_b") && reference.output.contains("gone"))
                // And `scorch top` of the diff file prints pprof's table: totals of the base, negative flats.
                let index = sampleIndex == "samples" ? 0 : 1
                let top = TopReport(try Profile(pprof: diff.pprofData()), sampleIndex: index).render(nodes: 0)
                for line in top.split(separator: "\n") {
                    #expect(ours.output.contains(line), "\"\(line)\" missing; pprof:\n\(ours.output)")
                }
            }
        }
    }
}
