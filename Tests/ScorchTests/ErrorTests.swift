import Foundation
import Testing

/// Bad conditions give one actionable line on stderr and a non-zero exit.
@Suite(.serialized)
struct ErrorTests {
    @Test func withoutPrivilegesRecordExplainsWhatIsMissing() throws {
        let result = try run("/usr/bin/setpriv", [
            "--reuid=65534", "--regid=65534", "--clear-groups", scorchPath, "record", "--duration", "1s", "--output", "-",
        ])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.stderr)")
        #expect(result.stderr.contains("CAP_BPF") && result.stderr.contains("CAP_PERFMON") && result.stderr.contains("sudo"))
    }

    @Test func refusedPerfEventIsOneActionableLine() throws {
        // Above kernel.perf_event_max_sample_rate, perf_event_open(2) refuses the event (EINVAL), even for root.
        let result = try run(scorchPath, ["record", "--frequency", "10000000", "--duration", "1s", "--output", "-"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("perf_event_open refused") && result.stderr.contains("perf_event_max_sample_rate"),
                "\(result.stderr)")
    }

    @Test func unwritableOutputFailsBeforeRecording() throws {
        let started = Date()
        let result = try run(scorchPath, ["record", "--duration", "10s", "--output", "/proc/no-such-dir/profile.pb.gz"])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("scorch: cannot write /proc/no-such-dir/profile.pb.gz"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 5, "failed before recording")
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let frequency = try run(scorchPath, ["record", "--frequency", "0", "--output", "-"])
        #expect(frequency.status == 2 && frequency.stderr.contains("frequency"))
        let duration = try run(scorchPath, ["record", "--duration", "soon"])
        #expect(duration.status != 0 && duration.stderr.contains("duration"))
    }

    @Test func topOnUnreadableOrMalformedInput() throws {
        let missing = try run(scorchPath, ["top", "/nonexistent/profile.pb.gz"])
        #expect(missing.status != 0)
        #expect(missing.stderr == "scorch: cannot read /nonexistent/profile.pb.gz: No such file or directory\n")

        let directory = try makeTemporaryDirectory()
        let garbage = directory.appendingPathComponent("garbage.pb.gz")
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]).write(to: garbage)
        let malformed = try run(scorchPath, ["top", garbage.path])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.hasPrefix("scorch: \(garbage.path): "), "\(malformed.stderr)")
        #expect(malformed.stderr.split(separator: "\n").count == 1)
    }
}
