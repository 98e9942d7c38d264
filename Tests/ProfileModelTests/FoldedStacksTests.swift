import ProfileModel
import Testing

@Suite struct FoldedStacksTests {
    @Test func rendersFixtureRootFirstSortedAndMerged() {
        let expected = """
            app;main;run_loop;compute 10
            app;main;run_loop;compute;hash_step 33
            app;main;run_loop;compute;memcpy 12
            app;main;run_loop;libc.so.6+0x2d678 5
            worker;worker_thread;0xffffffff81000000 2
            worker;worker_thread;fib 4
            worker;worker_thread;fib;fib;fib 8

            """
        #expect(FoldedStacks.render(Fixtures.small()) == expected)
    }

    @Test func otherValueColumnAndNoRootLabel() {
        let folded = FoldedStacks.render(Fixtures.small(), valueIndex: 1, rootLabel: nil)
        #expect(folded.hasPrefix("main;run_loop;compute 101010100\n"))
        #expect(folded.contains("worker_thread;fib;fib;fib 80808080\n"))
        #expect(
            FoldedStacks.render(Fixtures.small(), rootLabel: "thread_name").contains("app-worker;worker_thread;fib 4\n")
        )
    }

    @Test func outOfRangeValueIndexIsEmpty() {
        #expect(FoldedStacks.render(Fixtures.small(), valueIndex: 2) == "")
        #expect(FoldedStacks.render(Fixtures.small(), valueIndex: -1) == "")
    }

    @Test func escapesSeparatorsAndMergesEqualStacksAfterEscaping() {
        var b = ProfileBuilder(
            sampleTypes: [ValueType(type: "samples", unit: "count")], periodType: nil, period: 0, timeNanos: 0,
            durationNanos: 0)
        let f = b.function(name: "operator;()\nline2", systemName: "", filename: "")
        let g = b.function(name: "operator:() line2", systemName: "", filename: "")
        let lf = b.location(mappingID: 0, address: 1, lines: [Line(functionID: f, line: 0)])
        let lg = b.location(mappingID: 0, address: 2, lines: [Line(functionID: g, line: 0)])
        b.addSample(locationIDs: [lf], values: [2], labels: [.string("comm", "a;b\r\nc")])
        b.addSample(locationIDs: [lg], values: [3], labels: [.string("comm", "a:b c")])
        #expect(FoldedStacks.render(b.build()) == "a:b c;operator:() line2 5\n")
    }

    @Test func omitsZeroAndKeepsNegativeTotals() {
        var b = ProfileBuilder(
            sampleTypes: [ValueType(type: "samples", unit: "count")], periodType: nil, period: 0, timeNanos: 0,
            durationNanos: 0)
        let f = b.function(name: "f", systemName: "", filename: "")
        let l = b.location(mappingID: 0, address: 1, lines: [Line(functionID: f, line: 0)])
        b.addSample(locationIDs: [l], values: [0], labels: [])
        b.addSample(locationIDs: [l, l], values: [5], labels: [.number("pid", 1)])
        b.addSample(locationIDs: [l, l], values: [-5], labels: [.number("pid", 2)])
        b.addSample(locationIDs: [], values: [-2], labels: [])
        #expect(FoldedStacks.render(b.build()) == "[unknown] -2\n")
    }

    @Test func functionlessFramesFallBack() {
        let p = Profile(
            sampleTypes: [ValueType(type: "samples", unit: "count")],
            samples: [Sample(locationIDs: [1, 2, 3], values: [1])],
            mappings: [Mapping(id: 1, start: 0x1000, limit: 0x2000, offset: 0x500, file: "/lib/libz.so.1")],
            locations: [
                Location(id: 1, mappingID: 1, address: 0x1010, lines: [Line(functionID: 0, line: 0)]),
                Location(id: 2, mappingID: 1, address: 0x1020, lines: [Line(functionID: 1, line: 0)]),
                Location(id: 3, mappingID: 0, address: 0xabc, lines: []),
            ],
            functions: [Function(id: 1, name: "", systemName: "_Z1fv")])
        #expect(FoldedStacks.render(p) == "0xabc;_Z1fv;libz.so.1+0x510 1\n")
    }
}
