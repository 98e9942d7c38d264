import ProfileModel

/// A deterministic model of a host's CPU profile: processes with threads, a fixed set of stacks over shared
/// libraries, per-process executables and the kernel, some frames with inlined calls. ``window(_:)`` draws one
/// window's samples from it, so the same index always gives the same profile (also in a child process).
struct Workload: Sendable {
    static let sampleTypes = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]
    /// 2023-11-14T22:15:00Z, a multiple of 5 minutes, so compaction buckets line up with windows.
    static let base: Int64 = 1_700_000_100_000_000_000
    static let windowNanos: Int64 = 10_000_000_000

    struct Frame: Sendable {
        /// Index into `objects`.
        var object: Int
        var address: UInt64
        /// Innermost first: (function index in `functions`, line).
        var lines: [(Int, Int64)]
    }

    struct Object: Sendable {
        var file: String
        var buildID: String
        var start: UInt64
        var limit: UInt64
        var offset: UInt64
        var symbolized: Bool
    }

    struct Process: Sendable {
        var pid: Int64
        var comm: String
        var exe: String
        var threads: [(tid: Int64, name: String)]
    }

    struct Stack: Sendable {
        var process: Int
        var frames: [Frame]
    }

    let seed: UInt64
    let frequency: Int64
    let cpus: Int64
    var objects: [Object] = []
    var functions: [(name: String, system: String, file: String)] = []
    var processes: [Process] = []
    var stacks: [Stack] = []

    /// Samples per window: frequency × CPUs × 10 s.
    var samplesPerWindow: Int { Int(frequency * cpus * Self.windowNanos / 1_000_000_000) }
    var period: Int64 { 1_000_000_000 / frequency }

    /// - Parameters: sizes of the model; the defaults are the realistic host of the task (1000 stacks of depth 20
    ///   across 50 processes, 19 Hz on 2 CPUs).
    init(
        seed: UInt64 = 42, processes processCount: Int = 50, stacks stackCount: Int = 1000, depth: Int = 20,
        frequency: Int64 = 19, cpus: Int64 = 2
    ) {
        self.seed = seed
        self.frequency = frequency
        self.cpus = cpus
        var rng = SeededGenerator(seed: seed)
        let libc = objects.count
        objects.append(
            Object(
                file: "/usr/lib/x86_64-linux-gnu/libc.so.6", buildID: "c0ffee01", start: 0x7f00_0000_0000,
                limit: 0x7f00_0020_0000, offset: 0x28000, symbolized: true))
        let libssl = objects.count
        objects.append(
            Object(
                file: "/usr/lib/x86_64-linux-gnu/libssl.so.3", buildID: "5511aa02",
                start: 0x7f00_1000_0000, limit: 0x7f00_1010_0000, offset: 0, symbolized: false))
        let kernel = objects.count
        objects.append(
            Object(
                file: "[kernel.kallsyms]", buildID: "", start: 0xffff_ffff_8100_0000,
                limit: 0xffff_ffff_8300_0000, offset: 0, symbolized: true))
        let libcFunctions = (0..<60).map { addFunction("libc_fn_\($0)", file: "") }
        let kernelFunctions = (0..<40).map { addFunction("kernel_fn_\($0)", file: "") }

        for p in 0..<processCount {
            let exe = "/usr/bin/service\(p)"
            let object = objects.count
            objects.append(
                Object(
                    file: exe, buildID: String(UInt64(p + 1) &* 0x9E37_79B9, radix: 16),
                    start: 0x40_0000, limit: 0x80_0000, offset: 0, symbolized: true))
            let own = (0..<30).map {
                addFunction("service\(p)::handler_\($0)", file: "src/service\(p)/part\($0 % 7).cc")
            }
            let threadCount = 1 + Int(rng.next() % 4)
            let pid = Int64(1000 + p * 17)
            processes.append(
                Process(
                    pid: pid, comm: "service\(p)", exe: exe,
                    threads: (0..<threadCount).map { (pid + Int64($0), $0 == 0 ? "service\(p)" : "worker-\($0)") }))
            objectsOfProcess.append((object, own))
        }

        for s in 0..<stackCount {
            let process = s % processCount
            let (exeObject, own) = objectsOfProcess[process]
            var frames: [Frame] = []
            // Leaf first: an optional kernel part, a library or two, then the executable up to main.
            let kernelDepth = rng.next() % 3 == 0 ? 3 : 0
            for k in 0..<kernelDepth {
                let f = kernelFunctions[Int((rng.next() + UInt64(k)) % UInt64(kernelFunctions.count))]
                frames.append(
                    Frame(object: kernel, address: 0xffff_ffff_8100_0000 + UInt64(f) * 0x100, lines: [(f, 0)]))
            }
            if rng.next() % 2 == 0 {
                let f = libcFunctions[Int(rng.next() % UInt64(libcFunctions.count))]
                frames.append(Frame(object: libc, address: 0x7f00_0000_1000 + UInt64(f) * 0x40, lines: [(f, 0)]))
            }
            if rng.next() % 5 == 0 {
                frames.append(Frame(object: libssl, address: 0x7f00_1000_2000 + rng.next() % 0x1000, lines: []))
            }
            while frames.count < depth - 1 {
                let i = Int(rng.next() % UInt64(own.count))
                let f = own[i]
                let address = 0x40_1000 + UInt64(i) * 0x200 + (rng.next() % 4) * 8
                if rng.next() % 4 == 0 {
                    // An inlined call: the inlined function innermost, then its caller.
                    let inner = own[(i + 1) % own.count]
                    frames.append(
                        Frame(
                            object: exeObject, address: address,
                            lines: [(inner, Int64(10 + i)), (f, Int64(100 + i))]))
                } else {
                    frames.append(Frame(object: exeObject, address: address, lines: [(f, Int64(100 + i))]))
                }
            }
            frames.append(Frame(object: exeObject, address: 0x40_0100, lines: [(own[0], 1)]))
            stacks.append(Stack(process: process, frames: frames))
        }
    }

    private var objectsOfProcess: [(Int, [Int])] = []

    private mutating func addFunction(_ name: String, file: String) -> Int {
        functions.append((name, name.hasPrefix("service") ? "_Z\(name.count)\(name)" : name, file))
        return functions.count - 1
    }

    /// Start and end of window `index`.
    func range(_ index: Int) -> (start: Int64, end: Int64) {
        let start = Self.base + Int64(index) * Self.windowNanos
        return (start, start + Self.windowNanos)
    }

    /// The profile of window `index`: ``samplesPerWindow`` samples drawn with a skewed distribution over stacks.
    func window(_ index: Int) -> Profile {
        var rng = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(index))
        let (start, _) = range(index)
        var builder = ProfileBuilder(
            sampleTypes: Self.sampleTypes, periodType: ValueType(type: "cpu", unit: "nanoseconds"), period: period,
            timeNanos: start, durationNanos: Self.windowNanos, defaultSampleType: "cpu")
        var mappingIDs: [Int: UInt64] = [:]
        var functionIDs: [Int: UInt64] = [:]
        for _ in 0..<samplesPerWindow {
            // Skewed: squaring a uniform number favors low stack indexes, like a real host's hot paths.
            let u = Double(rng.next() % 1_000_000) / 1_000_000
            let stack = stacks[min(stacks.count - 1, Int(u * u * Double(stacks.count)))]
            let process = processes[stack.process]
            let thread = process.threads[Int(rng.next() % UInt64(process.threads.count))]
            var locationIDs: [UInt64] = []
            for frame in stack.frames {
                let object = objects[frame.object]
                let mapping =
                    mappingIDs[frame.object]
                    ?? {
                        let id = builder.mapping(
                            start: object.start, limit: object.limit, offset: object.offset, file: object.file,
                            buildID: object.buildID, hasFunctions: object.symbolized, hasFilenames: object.symbolized,
                            hasLineNumbers: object.symbolized, hasInlineFrames: object.symbolized)
                        mappingIDs[frame.object] = id
                        return id
                    }()
                let lines = frame.lines.map { (function, line) in
                    let id =
                        functionIDs[function]
                        ?? {
                            let f = functions[function]
                            let id = builder.function(name: f.name, systemName: f.system, filename: f.file)
                            functionIDs[function] = id
                            return id
                        }()
                    return Line(functionID: id, line: line)
                }
                locationIDs.append(builder.location(mappingID: mapping, address: frame.address, lines: lines))
            }
            builder.addSample(
                locationIDs: locationIDs, values: [1, period],
                labels: [
                    .number("pid", process.pid), .number("tid", thread.tid), .string("comm", process.comm),
                    .string("thread_name", thread.name), .string("exe", process.exe),
                ])
        }
        return builder.build()
    }

    /// A smaller model for functional tests: 6 processes, 60 stacks of depth 8, 40 samples per window.
    static let small = Workload(seed: 7, processes: 6, stacks: 60, depth: 8, frequency: 2, cpus: 2)
}
