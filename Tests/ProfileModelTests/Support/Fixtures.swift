import ProfileModel

/// Deterministic profiles shared by the tests.
enum Fixtures {
    /// 99 Hz in nanoseconds.
    static let period: Int64 = 10_101_010
    static let samplesAndCPU = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]
    static let cpuPeriod = ValueType(type: "cpu", unit: "nanoseconds")

    /// `[count, count × period]`, the values of `count` CPU samples at 99 Hz.
    static func values(_ count: Int64) -> [Int64] { [count, count * period] }

    /// The golden profile: two mappings, an inlined frame, recursion, an unsymbolized frame in a mapping and one
    /// without, two threads labeled with numeric pid/tid and string comm/thread_name.
    ///
    /// CPU samples per stack (root first):
    /// - app: main;run_loop;compute;hash_step (hash_step inlined into compute) 33
    /// - app: main;run_loop;compute 10
    /// - app: main;run_loop;compute;memcpy 12
    /// - app: main;run_loop;libc.so.6+0x2d678 5
    /// - worker: worker_thread;fib;fib;fib 8
    /// - worker: worker_thread;fib 4
    /// - worker: worker_thread;0xffffffff81000000 2
    static func small() -> Profile {
        var b = ProfileBuilder(
            sampleTypes: samplesAndCPU, periodType: cpuPeriod, period: period,
            timeNanos: 1_700_000_000_000_000_000, durationNanos: 1_000_000_000, defaultSampleType: "cpu")
        let app = b.mapping(
            start: 0x40_0000, limit: 0x50_0000, offset: 0, file: "/usr/bin/app", buildID: "a1b2c3d4e5f6",
            hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true)
        let libc = b.mapping(
            start: 0x7f00_0000_0000, limit: 0x7f00_0020_0000, offset: 0x28000,
            file: "/usr/lib/x86_64-linux-gnu/libc.so.6", buildID: "0badc0de", hasFunctions: true,
            hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false)

        let main = b.function(name: "main", systemName: "main", filename: "app/main.c", startLine: 10)
        let runLoop = b.function(name: "run_loop", systemName: "run_loop", filename: "app/loop.c", startLine: 20)
        let compute = b.function(name: "compute", systemName: "compute", filename: "app/compute.c", startLine: 30)
        let hash = b.function(name: "hash_step", systemName: "hash_step", filename: "app/hash.h", startLine: 5)
        let fib = b.function(name: "fib", systemName: "fib", filename: "app/fib.c", startLine: 1)
        let worker = b.function(name: "worker_thread", systemName: "worker_thread", filename: "app/worker.c")
        let memcpy = b.function(name: "memcpy", systemName: "__memcpy_avx_unaligned", filename: "")

        let lMain = b.location(mappingID: app, address: 0x40_1010, lines: [Line(functionID: main, line: 14)])
        let lLoop = b.location(mappingID: app, address: 0x40_2020, lines: [Line(functionID: runLoop, line: 25)])
        let lInlined = b.location(
            mappingID: app, address: 0x40_3030,
            lines: [Line(functionID: hash, line: 7, column: 3), Line(functionID: compute, line: 35)])
        let lCompute = b.location(mappingID: app, address: 0x40_3040, lines: [Line(functionID: compute, line: 38)])
        let lMemcpy = b.location(mappingID: libc, address: 0x7f00_0000_1234, lines: [Line(functionID: memcpy, line: 0)])
        let lUnknown = b.location(mappingID: libc, address: 0x7f00_0000_5678, lines: [])
        let lFib = b.location(mappingID: app, address: 0x40_4040, lines: [Line(functionID: fib, line: 3)])
        let lWorker = b.location(mappingID: app, address: 0x40_5050, lines: [Line(functionID: worker, line: 50)])
        let lKernel = b.location(mappingID: 0, address: 0xffff_ffff_8100_0000, lines: [])

        let mainThread: [Label] = [
            .number("pid", 4242), .number("tid", 4242), .string("comm", "app"), .string("thread_name", "app"),
        ]
        let workerThread: [Label] = [
            .number("pid", 4242), .number("tid", 4243), .string("comm", "worker"),
            .string("thread_name", "app-worker"),
        ]
        b.addSample(locationIDs: [lInlined, lLoop, lMain], values: values(30), labels: mainThread)
        b.addSample(locationIDs: [lCompute, lLoop, lMain], values: values(10), labels: mainThread)
        b.addSample(locationIDs: [lMemcpy, lCompute, lLoop, lMain], values: values(12), labels: mainThread)
        b.addSample(locationIDs: [lUnknown, lLoop, lMain], values: values(5), labels: mainThread)
        b.addSample(locationIDs: [lFib, lFib, lFib, lWorker], values: values(8), labels: workerThread)
        b.addSample(locationIDs: [lFib, lWorker], values: values(4), labels: workerThread)
        b.addSample(locationIDs: [lKernel, lWorker], values: values(2), labels: workerThread)
        // Same stack and labels in another order: merges into the first sample (30 + 3).
        b.addSample(locationIDs: [lInlined, lLoop, lMain], values: values(3), labels: mainThread.reversed())
        b.addComment("scorch golden fixture: 99 Hz, two threads")
        return b.build()
    }
}
