import BPFRuntime
import Foundation
import Testing

/// The loader's failure paths, on real objects compiled by the test with the toolchain's clang.
struct BPFObjectTests {
    /// A program the verifier must reject: it dereferences a hash-map value without the NULL check. (An array
    /// lookup with a constant in-range key is provably non-NULL on recent kernels, so a hash map is used.)
    static let rejected = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>
        char LICENSE[] SEC("license") = "GPL";
        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } values SEC(".maps");
        SEC("perf_event")
        int unchecked(void *ctx) {
            __u32 key = 0;
            __u64 *value = bpf_map_lookup_elem(&values, &key);
            *value += 1;
            return 0;
        }
        """

    func compileBPF(_ source: String) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bpf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sourceURL = directory.appendingPathComponent("prog.bpf.c")
        let objectURL = directory.appendingPathComponent("prog.bpf.o")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        let clang = Process()
        clang.executableURL = URL(fileURLWithPath: "/opt/swift/usr/bin/clang")
        clang.arguments = ["-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", sourceURL.path, "-o", objectURL.path]
        try clang.run()
        clang.waitUntilExit()
        #expect(clang.terminationStatus == 0)
        return try [UInt8](Data(contentsOf: objectURL))
    }

    @Test func verifierRejectionCarriesTheVerifierLog() throws {
        let object = try BPFObject(bytes: compileBPF(Self.rejected), name: "rejected")
        let error = try #require(throws: BPFError.self) { try object.load() }
        #expect(error.code == .loadFailed)
        #expect(error.verifierLog.contains { $0.contains("invalid mem access") || $0.contains("map_value_or_null") },
                "verifier log: \(error.verifierLog.suffix(10))")
        #expect(error.message.contains("rejected BPF object rejected"))
        #expect(!error.message.contains("\n"), "one line")
    }

    @Test func garbageIsNotAnObject() {
        let error = #expect(throws: BPFError.self) { try BPFObject(bytes: [1, 2, 3, 4], name: "garbage") }
        #expect(error?.code == .openFailed)
    }

    @Test func missingGlobalIsReported() throws {
        let object = try BPFObject(bytes: compileBPF(Self.rejected), name: "rejected")
        let error = #expect(throws: BPFError.self) { try object.setGlobal("nope", to: UInt32(1)) }
        #expect(error?.code == .missingSymbol)
    }

    @Test func missingBTFIsOneActionableLine() {
        let error = #expect(throws: BPFError.self) { try Privileges.requireKernelBTF(path: "/nonexistent/vmlinux") }
        #expect(error?.code == .missingBTF)
        #expect(error?.message.contains("CONFIG_DEBUG_INFO_BTF") == true)
        #expect(throws: Never.self) { try Privileges.requireKernelBTF() }
    }

    @Test func capabilitiesAreReadFromStatus() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let none = directory.appendingPathComponent("none")
        try "Name:\tx\nCapEff:\t0000000000000000\n".write(to: none, atomically: true, encoding: .utf8)
        let error = #expect(throws: BPFError.self) { try Privileges.requireProfilingCapabilities(statusPath: none.path) }
        #expect(error?.message.contains("CAP_BPF and CAP_PERFMON") == true)
        let bpfAndPerfmon = directory.appendingPathComponent("bpf")
        try "CapEff:\t000000c000000000\n".write(to: bpfAndPerfmon, atomically: true, encoding: .utf8)
        #expect(throws: Never.self) { try Privileges.requireProfilingCapabilities(statusPath: bpfAndPerfmon.path) }
    }
}
