import Foundation
import ProfileModel
import Testing

/// Interoperability with Go's pprof implementation, the reference reader and writer. Skipped without `go`.
@Suite(.enabled(if: GoToolchain.isInstalled, "go is not installed; skipping pprof interoperability tests"))
struct GoInteropTests {
    @Test(.timeLimit(.minutes(5)))
    func decodesGoCPUProfile() throws {
        let directory = try GoToolchain.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "module scorchfixture\n\ngo 1.19\n".write(
            to: directory.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        try """
        package scorchfixture

        import (
        \t"testing"
        \t"time"
        )

        //go:noinline
        func burn(n int) int {
        \tx := 0
        \tfor i := 0; i < n; i++ {
        \t\tx = x*31 + i
        \t}
        \treturn x
        }

        func TestBurnCPU(t *testing.T) {
        \tsink := 0
        \tfor start := time.Now(); time.Since(start) < 400*time.Millisecond; {
        \t\tsink += burn(100000)
        \t}
        \tif sink == 42 {
        \t\tt.Log(sink)
        \t}
        }
        """.write(to: directory.appendingPathComponent("burn_test.go"), atomically: true, encoding: .utf8)

        let result = try GoToolchain.run(
            ["test", "-count=1", "-run", "TestBurnCPU", "-cpuprofile", "cpu.pprof", "."], in: directory)
        try #require(result.status == 0, "go test failed:\n\(result.output)")
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("cpu.pprof")))
        #expect(Array(bytes.prefix(2)) == [0x1f, 0x8b], "Go writes gzip-compressed profiles")

        let profile = try Profile(pprof: bytes)
        #expect(
            profile.sampleTypes == [
                ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds"),
            ])
        #expect(profile.periodType == ValueType(type: "cpu", unit: "nanoseconds"))
        #expect(profile.period > 0)
        #expect(profile.mappings.contains { $0.hasFunctions })
        let names = Set(profile.functions.map(\.name))
        #expect(names.contains("scorchfixture.TestBurnCPU"), "functions: \(names.sorted())")
        #expect(names.contains("scorchfixture.burn"))
        #expect(!profile.samples.isEmpty)
        #expect(FoldedStacks.render(profile).contains("scorchfixture.TestBurnCPU;scorchfixture.burn "))
        #expect(TopReport(profile).rows.contains { $0.name == "scorchfixture.burn" && $0.flat > 0 })
        // And back: our encoding of Go's profile decodes to the same model.
        #expect(try Profile(pprof: profile.pprofData()) == profile)
    }

    @Test(.timeLimit(.minutes(5)))
    func goToolPprofReadsOurProfile() throws {
        let directory = try GoToolchain.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("small.pb.gz")
        try Data(Fixtures.small().pprofData()).write(to: file)

        let result = try GoToolchain.run(["tool", "pprof", "-symbolize=none", "-top", file.path], in: directory)
        try #require(result.status == 0, "go tool pprof failed:\n\(result.output)")
        for name in ["hash_step", "compute", "memcpy", "fib", "main", "run_loop", "worker_thread"] {
            #expect(result.output.contains(name), "\(name) missing from:\n\(result.output)")
        }
        // pprof and TopReport agree line by line: totals, unit choice, percentages, order. pprof names unsymbolized
        // frames differently (`[libc.so.6]`, `<unknown>`) and marks inlined ones `(inline)`, so compare the rest.
        let ours = TopReport(Fixtures.small()).render(nodes: 0)
        for line in ours.split(separator: "\n") where !line.hasSuffix("+0x2d678") && !line.hasSuffix("81000000") {
            #expect(result.output.contains(line), "line \"\(line)\" missing; pprof:\n\(result.output)\nours:\n\(ours)")
        }
    }
}
