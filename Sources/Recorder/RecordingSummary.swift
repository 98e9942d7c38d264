import Sampler
import Symbolizer

/// What a recording captured and everything it lost, by reason: printed after `scorch record`.
public struct RecordingSummary: Sendable {
    /// Samples in the profile.
    public var samples: UInt64 = 0
    /// Distinct processes in the profile.
    public var processes: Int = 0
    /// Idle-task samples left out (see `--include-idle`).
    public var idleSamples: UInt64 = 0
    /// The BPF program's own counters.
    public var counters = SamplerCounters()
    /// User frames that resolved to no symbol, and frames outside any known mapping.
    public var unsymbolizedFrames: UInt64 = 0
    public var frames: UInt64 = 0
    /// Seconds actually recorded (shorter than asked when interrupted).
    public var durationSeconds: Double = 0
    public var cpus: Int = 0
    public var frequency: Int = 0

    public var unwind: UnwindMode = .fp
    /// Samples whose user stack was unwound from a snapshot with DWARF CFI.
    public var dwarfUnwoundSamples: UInt64 = 0
    /// Samples whose user stack stops early, by reason (they carry a `[truncated]` root frame).
    public var truncatedSamples: [String: UInt64] = [:]
    /// Processes that auto mode moved to the frame-pointer path.
    public var framePointerProcesses = 0
    public var unwinder: UnwinderStatistics?
    /// Mean time per DWARF unwind after each process's warm-up, in microseconds (nil when none).
    public var warmUnwindMicroseconds: Double?

    public init() {}

    /// Human-readable lines, one fact each.
    public var lines: [String] {
        var lines = [
            "recorded \(samples) samples from \(processes) processes in "
                + "\(formatSeconds(durationSeconds)) at \(frequency) Hz on \(cpus) CPUs"
        ]
        if idleSamples > 0 { lines.append("idle samples left out: \(idleSamples) (--include-idle keeps them)") }
        var losses: [String] = []
        if counters.countsMapFull > 0 { losses.append("samples lost (counts map full): \(counters.countsMapFull)") }
        for (reason, count) in counters.userStackLost.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            losses.append("user stacks lost (\(reason.rawValue)): \(count)")
        }
        for (reason, count) in counters.kernelStackLost.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            losses.append("kernel stacks lost (\(reason.rawValue)): \(count)")
        }
        if counters.snapshotRingBufferFull > 0 {
            losses.append("samples lost (snapshot ring buffer full): \(counters.snapshotRingBufferFull)")
        }
        lines.append(losses.isEmpty ? "nothing lost" : losses.joined(separator: "; "))
        if unwind != .fp {
            var line = "unwinding \(unwind.rawValue): \(dwarfUnwoundSamples) samples unwound with DWARF"
            if unwind == .auto { line += ", \(framePointerProcesses) processes moved to frame pointers" }
            if let warmUnwindMicroseconds {
                line += " (\(formatDecimal(warmUnwindMicroseconds)) µs each after warm-up)"
            }
            if let unwinder {
                line += "; unwinder holds \(unwinder.cachedProcesses) processes, ~\(unwinder.approximateMemoryBytes / 1024) KiB"
            }
            lines.append(line)
        }
        let truncated = truncatedSamples.values.reduce(0, +)
        if truncated > 0 {
            let reasons = truncatedSamples.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("truncated stacks: \(truncated) (\(reasons.joined(separator: ", ")))")
        }
        if frames > 0 {
            let share = Double(unsymbolizedFrames) * 100 / Double(frames)
            lines.append("frames without a symbol: \(unsymbolizedFrames) of \(frames) (\(formatPercent(share)))")
        }
        return lines
    }
}

func formatSeconds(_ seconds: Double) -> String {
    let tenths = (seconds * 10).rounded()
    return "\(Int(tenths) / 10).\(Int(tenths) % 10)s"
}

func formatDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

func formatPercent(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
}
