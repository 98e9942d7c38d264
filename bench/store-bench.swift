// The store benchmark behind bench/store.sh: 24 hours of 10 s windows cut from real recorded profiles, appended to a
// fresh store (release build) with the agent's maintenance (retention and compaction every minute), then bytes per
// sample on disk and warm query times. Compiled by bench/store.sh with swiftc against the release build's modules.
//
// Usage: store-bench STORE_DIR WINDOWS PROFILE.pb.gz...
import Foundation
import Glibc
import Logging
import ProfileModel
import ProfileStore

/// A deterministic random number generator (SplitMix64), so runs are comparable.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One recorded sample row: its stack (as locations of its recording), labels and count.
struct SourceSample {
    var recording: Int
    var locations: [Location]
    var pid: Int64
    var tid: Int64
    var comm: String
    var threadName: String
    var exe: String?
    var count: Int64
}

/// The recorded profiles, flattened into weighted sample rows per recording.
struct Pool {
    var recordings: [Profile]
    var samples: [[SourceSample]]
    /// Cumulative counts per recording, for drawing samples in proportion to what was recorded.
    var cumulative: [[Int64]]

    init(_ recordings: [Profile]) {
        self.recordings = recordings
        samples = recordings.enumerated().map { index, profile in
            profile.samples.compactMap { sample -> SourceSample? in
                func string(_ key: String) -> String? { sample.labels.first { $0.key == key }?.string }
                func number(_ key: String) -> Int64? { sample.labels.first { $0.key == key }?.number }
                guard let pid = number("pid"), pid != 0 else { return nil }
                return SourceSample(
                    recording: index, locations: sample.locationIDs.compactMap { profile.location(id: $0) },
                    pid: pid, tid: number("tid") ?? pid, comm: string("comm") ?? "",
                    threadName: string("thread_name") ?? "",
                    exe: string("exe"), count: max(1, sample.values.first ?? 1))
            }
        }
        cumulative = samples.map { rows in
            var total: Int64 = 0
            return rows.map {
                total += $0.count
                return total
            }
        }
    }

    func draw(recording: Int, using rng: inout SplitMix) -> SourceSample? {
        guard let total = cumulative[recording].last, total > 0 else { return nil }
        let target = Int64(rng.next() % UInt64(total))
        var low = 0
        var high = cumulative[recording].count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[recording][middle] > target { high = middle } else { low = middle + 1 }
        }
        return samples[recording][low]
    }
}

/// The host over a day: which recording dominates drifts slowly, load follows a daily curve, and processes restart
/// now and then (new pid and tids, user mappings moved by ASLR, so their frames are new locations).
struct Host {
    static let windowNanos: Int64 = 10_000_000_000
    static let period: Int64 = 1_000_000_000 / 19
    /// Mean time between restarts of one process: 6 hours of windows.
    static let restartOdds: UInt64 = 6 * 360

    let pool: Pool
    var rng = SplitMix(state: 0x5C0_4C4)
    /// Restart generation per recorded pid.
    var generations: [Int64: Int64] = [:]

    /// Window `index`: 19 Hz on 2 CPUs, scaled by the load of that time of day.
    mutating func window(_ index: Int, start: Int64) -> Profile {
        let hours = Double(index) / 360
        let load = 0.6 + 0.4 * sin(2 * Double.pi * hours / 24)
        let samples = max(20, Int(380 * load) - Int(rng.next() % 40))
        let weights = pool.recordings.indices.map { r -> Double in
            1.05 + sin(2 * Double.pi * hours / Double(3 + 2 * r) + Double(r))
        }
        let totalWeight = weights.reduce(0, +)
        let pids = Set(pool.samples.flatMap { $0.map(\.pid) })
        for pid in pids.sorted() where rng.next() % Self.restartOdds == 0 { generations[pid, default: 0] += 1 }

        var builder = ProfileBuilder(
            sampleTypes: [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")],
            periodType: ValueType(type: "cpu", unit: "nanoseconds"), period: Self.period, timeNanos: start,
            durationNanos: Self.windowNanos, defaultSampleType: "cpu")
        var mappingIDs: [MappingKey: UInt64] = [:]
        var functionIDs: [FunctionKey: UInt64] = [:]
        for _ in 0..<samples {
            var pick = Double(rng.next() % 1_000_000) / 1_000_000 * totalWeight
            var recording = 0
            while recording < weights.count - 1 && pick >= weights[recording] {
                pick -= weights[recording]
                recording += 1
            }
            guard let sample = pool.draw(recording: recording, using: &rng) else { continue }
            let profile = pool.recordings[sample.recording]
            let generation = generations[sample.pid] ?? 0
            let shift = UInt64(generation) &* 0x1000 &* (UInt64(sample.pid) % 97 + 1)
            var stack: [UInt64] = []
            for location in sample.locations {
                var mappingID: UInt64 = 0
                var moved: UInt64 = 0
                if let mapping = profile.mapping(id: location.mappingID) {
                    moved = mapping.start < 0x8000_0000_0000_0000 ? shift : 0
                    let key = MappingKey(recording: sample.recording, id: mapping.id, shift: moved)
                    mappingID =
                        mappingIDs[key]
                        ?? {
                            let id = builder.mapping(
                                start: mapping.start &+ moved, limit: mapping.limit &+ moved, offset: mapping.offset,
                                file: mapping.file, buildID: mapping.buildID, hasFunctions: mapping.hasFunctions,
                                hasFilenames: mapping.hasFilenames, hasLineNumbers: mapping.hasLineNumbers,
                                hasInlineFrames: mapping.hasInlineFrames)
                            mappingIDs[key] = id
                            return id
                        }()
                }
                let lines = location.lines.map { line -> Line in
                    guard let function = profile.function(id: line.functionID) else {
                        return Line(functionID: 0, line: line.line)
                    }
                    let key = FunctionKey(recording: sample.recording, id: function.id)
                    let id =
                        functionIDs[key]
                        ?? {
                            let id = builder.function(
                                name: function.name, systemName: function.systemName, filename: function.filename,
                                startLine: function.startLine)
                            functionIDs[key] = id
                            return id
                        }()
                    return Line(functionID: id, line: line.line, column: line.column)
                }
                stack.append(
                    builder.location(
                        mappingID: mappingID, address: location.address &+ moved, lines: lines,
                        isFolded: location.isFolded))
            }
            let pid = sample.pid + 100_000 * generation
            var labels: [Label] = [
                .number("pid", pid), .number("tid", sample.tid + 100_000 * generation),
                .string("comm", sample.comm), .string("thread_name", sample.threadName),
            ]
            if let exe = sample.exe { labels.append(.string("exe", exe)) }
            builder.addSample(locationIDs: stack, values: [1, Self.period], labels: labels)
        }
        return builder.build()
    }

    struct MappingKey: Hashable {
        var recording: Int
        var id: UInt64
        var shift: UInt64
    }

    struct FunctionKey: Hashable {
        var recording: Int
        var id: UInt64
    }
}

@main
struct StoreBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 4, let windows = Int(arguments[2]) else {
            FileHandle.standardError.write(Data("usage: store-bench STORE_DIR WINDOWS PROFILE.pb.gz...\n".utf8))
            exit(2)
        }
        let directory = arguments[1]
        let recordings = try arguments[3...].map { path in
            try Profile(pprof: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        let pool = Pool(recordings)
        let rows = pool.samples.map(\.count).reduce(0, +)
        let stacks = Set(pool.samples.flatMap { $0.map { $0.locations.map(\.address) } }).count
        let processes = Set(pool.samples.flatMap { $0.map(\.pid) }).count
        print(
            "recorded: \(recordings.count) profiles, \(rows) sample rows, \(stacks) distinct stacks, \(processes) pids")

        var logger = Logger(label: "store-bench")
        logger.logLevel = ProcessInfo.processInfo.environment["SCORCH_BENCH_DEBUG"] == nil ? .warning : .debug
        let store = try ProfileStore(directory: directory, options: StoreOptions(), logger: logger)
        var host = Host(pool: pool)
        let base: Int64 = 1_764_028_800_000_000_000  // 2025-11-25T00:00:00Z
        var appendedBytes = 0
        var lastHourBytes = 0
        var pprofBytes = 0
        var samples: Int64 = 0
        var lastHourSamples: Int64 = 0
        var appendSeconds = 0.0
        var maintenanceSeconds = 0.0
        let clock = ContinuousClock()
        for index in 0..<windows {
            let start = base + Int64(index) * Host.windowNanos
            let end = start + Host.windowNanos
            let profile = host.window(index, start: start)
            let count = profile.samples.reduce(0) { $0 + $1.values[0] }
            pprofBytes += profile.pprofData(compressed: true).count
            var written = 0
            appendSeconds += seconds(
                clock.measure { written = (try? store.append(profile, start: start, end: end)) ?? 0 })
            appendedBytes += written
            samples += count
            if index >= windows - 360 {
                lastHourBytes += written
                lastHourSamples += count
            }
            if index % 6 == 5 {
                maintenanceSeconds += seconds(
                    try clock.measure {
                        try store.enforceRetention(now: end)
                        try store.compact(now: end)
                    })
            }
        }
        // With 0 windows, the store in STORE_DIR (of an earlier run) is only queried.
        trimHeap()  // as the agent does after each window
        let memory = residentMegabytes()
        let end =
            windows > 0
            ? base + Int64(windows) * Host.windowNanos
            : (try store.windows(from: Int64.min, to: Int64.max).map(\.end).max() ?? base)
        let infos = try store.windows(from: Int64.min, to: Int64.max)
        let compacted = infos.filter { $0.kind == .compacted }
        let compactedBytes = compacted.reduce(0) { $0 + $1.storedBytes }
        let compactedSamples = compacted.reduce(Int64(0)) { $0 + $1.totals[0] }
        let storedSamples = infos.reduce(Int64(0)) { $0 + $1.totals[0] }
        let statistics = store.statistics

        func query(hours: Int64) throws -> (milliseconds: Double, samples: Int64, rows: (Int, Int)) {
            var best = Double.infinity
            var result: Int64 = 0
            var rows = (0, 0)
            for _ in 0..<3 {
                var profile = Profile()
                let elapsed = try clock.measure {
                    profile = try store.query(from: end - hours * 3_600_000_000_000, to: end)
                }
                best = min(best, seconds(elapsed) * 1000)
                result = profile.samples.reduce(0) { $0 + $1.values[0] }
                rows = (profile.samples.count, profile.locations.count)
            }
            return (best, result, rows)
        }
        _ = try query(hours: 24)
        let hour = try query(hours: 1)
        let day = try query(hours: 24)

        func row(_ name: String, _ bytes: Int, _ samples: Int64) -> String {
            let perSample = samples > 0 ? Double(bytes) / Double(samples) : 0
            return name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%14d %12d %10.2f", bytes, samples, perSample)
        }
        print("\(windows) windows of 10 s (\(Double(windows) / 360) h), \(samples) samples")
        func right(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        print(
            "what".padding(toLength: 44, withPad: " ", startingAt: 0) + right("bytes", 14) + right("samples", 13)
                + right("B/sample", 11))
        print(row("fresh 10 s windows, as appended (all)", appendedBytes, samples))
        print(row("fresh 10 s windows, as appended (last hour)", lastHourBytes, lastHourSamples))
        print(row("compacted blocks on disk (5 min, 1 h)", compactedBytes, compactedSamples))
        print(row("whole 24 h store on disk", Int(statistics.bytesOnDisk), storedSamples))
        print(row("pprof.gz, one per window (summed)", pprofBytes, samples))
        for (name, query) in [("1 h", hour), ("24 h", day)] {
            print(
                "warm query, \(name) merge: ".padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: "%8.1f ms", query.milliseconds)
                    + " (\(query.samples) samples in \(query.rows.0) sample rows, \(query.rows.1) locations)")
        }
        print(
            String(
                format: "append: %.2f ms per window; maintenance: %.1f s in all; %d segments, %d blocks",
                appendSeconds * 1000 / Double(windows), maintenanceSeconds, statistics.segments, statistics.blocks))
        print("benchmark process after the appends: \(memory) (the recordings and the host model included)")
    }

    /// glibc's `malloc_trim(0)` (not in the Glibc module): returns freed heap memory to the system.
    static func trimHeap() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// VmRSS and VmHWM of this process, from /proc/self/status.
    static func residentMegabytes() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let fields = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
        return fields.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.joined(separator: ", ")
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }
}
