import ProfileModel

/// Hand-built windows for the golden store: fixed forever, independent of the ``Workload`` generator.
enum GoldenFixture {
    /// 2023-11-14T22:15:00Z.
    static let start: Int64 = 1_700_000_100_000_000_000
    static let period: Int64 = 52_631_578
    static let sampleTypes = [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")]

    /// Window starts: two old windows (compacted into one block) and a recent one.
    static let ranges: [(start: Int64, end: Int64)] = [
        (start, start + 10_000_000_000),
        (start + 10_000_000_000, start + 20_000_000_000),
        (start + 7_190_000_000_000, start + 7_200_000_000_000),
    ]

    /// When the golden store was compacted: two hours after the first window.
    static let compactedAt = start + 7_200_000_000_000

    /// Window `index` (0, 1 or 2): two processes, an inlined frame, a kernel frame, an unsymbolized library frame.
    static func window(_ index: Int) -> Profile {
        let (windowStart, windowEnd) = ranges[index]
        var b = ProfileBuilder(
            sampleTypes: sampleTypes, periodType: ValueType(type: "cpu", unit: "nanoseconds"), period: period,
            timeNanos: windowStart, durationNanos: windowEnd - windowStart, defaultSampleType: "cpu")
        let app = b.mapping(
            start: 0x55_5555_4000, limit: 0x55_5556_0000, offset: 0x1000, file: "/usr/bin/app",
            buildID: "a1b2c3d4e5f60718",
            hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true)
        let libc = b.mapping(
            start: 0x7f12_3400_0000, limit: 0x7f12_3420_0000, offset: 0x28000,
            file: "/usr/lib/x86_64-linux-gnu/libc.so.6", buildID: "0badc0de", hasFunctions: true, hasFilenames: false,
            hasLineNumbers: false, hasInlineFrames: false)
        let kernel = b.mapping(
            start: 0xffff_ffff_8100_0000, limit: 0xffff_ffff_8300_0000, offset: 0, file: "[kernel.kallsyms]",
            buildID: "", hasFunctions: true, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false)
        let main = b.function(name: "main", systemName: "main", filename: "src/main.c", startLine: 10)
        let serve = b.function(name: "Server::serve()", systemName: "_ZN6Server5serveEv", filename: "src/server.cc")
        let parse = b.function(name: "parse_header", systemName: "parse_header", filename: "src/parse.h", startLine: 3)
        let write = b.function(name: "__GI___libc_write", systemName: "__GI___libc_write", filename: "")
        let sysWrite = b.function(name: "ksys_write", systemName: "ksys_write", filename: "")
        let lMain = b.location(mappingID: app, address: 0x55_5555_5123, lines: [Line(functionID: main, line: 42)])
        let lServe = b.location(
            mappingID: app, address: 0x55_5555_6456,
            lines: [Line(functionID: parse, line: 7, column: 12), Line(functionID: serve, line: 88)])
        let lWrite = b.location(mappingID: libc, address: 0x7f12_3401_1111, lines: [Line(functionID: write, line: 0)])
        let lUnknown = b.location(mappingID: libc, address: 0x7f12_3409_9999, lines: [])
        let lKernel = b.location(
            mappingID: kernel, address: 0xffff_ffff_8123_4567, lines: [Line(functionID: sysWrite, line: 0)])
        let appLabels: [Label] = [
            .number("pid", 4242), .number("tid", 4242), .string("comm", "app"), .string("thread_name", "app"),
            .string("exe", "/usr/bin/app"),
        ]
        let workerLabels: [Label] = [
            .number("pid", 4242), .number("tid", 4250 + Int64(index)), .string("comm", "app"),
            .string("thread_name", "worker"), .string("exe", "/usr/bin/app"),
        ]
        let n = Int64(index) + 1
        b.addSample(locationIDs: [lServe, lMain], values: [9 * n, 9 * n * period], labels: appLabels)
        b.addSample(locationIDs: [lKernel, lWrite, lServe, lMain], values: [3, 3 * period], labels: workerLabels)
        b.addSample(locationIDs: [lUnknown, lMain], values: [n, n * period], labels: workerLabels)
        if index == 2 { b.addComment("golden window 2") }
        return b.build()
    }
}
