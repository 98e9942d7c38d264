import ProfileModel
import Testing

@Suite struct TopReportTests {
    private typealias Row = TopReport.Row

    @Test func flatAndCumOfFixture() {
        let report = TopReport(Fixtures.small(), sampleIndex: 0)
        #expect(report.sampleType == ValueType(type: "samples", unit: "count"))
        #expect(report.total == 74)
        #expect(
            report.rows == [
                Row(name: "hash_step", flat: 33, cum: 33),
                Row(name: "fib", flat: 12, cum: 12),  // recursion: 8 samples with fib thrice count once
                Row(name: "memcpy", flat: 12, cum: 12),
                Row(name: "compute", flat: 10, cum: 55),  // inlined hash_step's samples count for compute's cum only
                Row(name: "libc.so.6+0x2d678", flat: 5, cum: 5),
                Row(name: "0xffffffff81000000", flat: 2, cum: 2),
                Row(name: "main", flat: 0, cum: 60),
                Row(name: "run_loop", flat: 0, cum: 60),
                Row(name: "worker_thread", flat: 0, cum: 14),
            ])
    }

    @Test func defaultColumnIsDefaultSampleTypeElseLast() {
        var p = Fixtures.small()
        #expect(TopReport(p).sampleType?.type == "cpu")
        p.defaultSampleType = "samples"
        #expect(TopReport(p).sampleType?.type == "samples")
        p.defaultSampleType = "nope"
        #expect(TopReport(p).sampleType?.type == "cpu")
        #expect(TopReport(p, sampleIndex: 7).rows.isEmpty)
        #expect(
            TopReport(Profile()).render() == "Showing nodes accounting for 0, 0% of 0 total\n"
                + "      flat  flat%   sum%        cum   cum%\n")
    }

    @Test func recursionCountsOncePerSample() {
        let p = Profile(
            sampleTypes: [ValueType(type: "samples", unit: "count")],
            samples: [Sample(locationIDs: [1, 2, 1, 2, 1], values: [3])],
            locations: [
                Location(id: 1, mappingID: 0, address: 1, lines: [Line(functionID: 1, line: 1)]),
                Location(
                    id: 2, mappingID: 0, address: 2,
                    lines: [Line(functionID: 2, line: 1), Line(functionID: 1, line: 9)]),
            ],
            functions: [Function(id: 1, name: "a"), Function(id: 2, name: "b")])
        #expect(TopReport(p).rows == [Row(name: "a", flat: 3, cum: 3), Row(name: "b", flat: 0, cum: 3)])
    }

    @Test func inlinedLeafGetsFlat() {
        let p = Profile(
            sampleTypes: [ValueType(type: "samples", unit: "count")],
            samples: [Sample(locationIDs: [1], values: [4])],
            locations: [
                Location(
                    id: 1, mappingID: 0, address: 1,
                    lines: [Line(functionID: 1, line: 1), Line(functionID: 2, line: 1), Line(functionID: 3, line: 1)])
            ],
            functions: [
                Function(id: 1, name: "inner"), Function(id: 2, name: "middle"), Function(id: 3, name: "outer"),
            ])
        #expect(
            TopReport(p).rows == [
                Row(name: "inner", flat: 4, cum: 4), Row(name: "middle", flat: 0, cum: 4),
                Row(name: "outer", flat: 0, cum: 4),
            ])
    }

    @Test func rendersLikePprof() {
        let report = TopReport(
            sampleType: ValueType(type: "cpu", unit: "nanoseconds"),
            rows: [
                Row(name: "hot_a", flat: 1_600_000_000, cum: 1_600_000_000),
                Row(name: "warm_b", flat: 250_000_000, cum: 1_850_000_000),
                Row(name: "cold_c", flat: 10_000_000, cum: 10_000_000),
                Row(name: "main", flat: 0, cum: 2_480_000_000),
            ],
            total: 2_480_000_000)
        #expect(
            report.render() == """
                Showing nodes accounting for 1.86s, 75.00% of 2.48s total
                      flat  flat%   sum%        cum   cum%
                     1.60s 64.52% 64.52%      1.60s 64.52%  hot_a
                     0.25s 10.08% 74.60%      1.85s 74.60%  warm_b
                     0.01s   0.4% 75.00%      0.01s   0.4%  cold_c
                         0     0% 75.00%      2.48s   100%  main

                """)
        #expect(
            report.render(nodes: 2, sortByCum: true) == """
                Showing nodes accounting for 250ms, 10.08% of 2480ms total
                Showing top 2 nodes out of 4
                      flat  flat%   sum%        cum   cum%
                         0     0%     0%     2480ms   100%  main
                     250ms 10.08% 10.08%     1850ms 74.60%  warm_b

                """)
    }

    @Test func rendersMillisecondsWhenSmall() {
        let report = TopReport(
            sampleType: ValueType(type: "cpu", unit: "nanoseconds"),
            rows: [Row(name: "f", flat: 250_000_000, cum: 250_000_000), Row(name: "g", flat: 10_000, cum: 10_000)],
            total: 250_010_000)
        #expect(report.render().contains("     250ms   100%   100%      250ms   100%  f\n"))
        #expect(report.render().contains("    0.01ms 0.004%   100%     0.01ms 0.004%  g\n"))
    }

    @Test func rendersCountsAsIntegers() {
        let text = TopReport(Fixtures.small(), sampleIndex: 0).render(nodes: 1)
        #expect(
            text == """
                Showing nodes accounting for 33, 44.59% of 74 total
                Showing top 1 nodes out of 9
                      flat  flat%   sum%        cum   cum%
                        33 44.59% 44.59%         33 44.59%  hash_step

                """)
    }
}
