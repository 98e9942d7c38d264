import ProfileModel
import ProfileQuery
import ProfileStore
import Testing

/// `LabelSummary.mayMatch`: a query skips a block only when no sample of it can match.
struct SelectorPruningTests {
    let summary = LabelSummary(keys: [
        "comm": .init(strings: ["python3", "postgres"]),
        "pid": .init(numbers: [42, 7]),
        "tid": .init(numbers: [1, 2, 3], isComplete: false),
    ])

    func may(_ selector: String) throws -> Bool {
        summary.mayMatch(try Selector(parsing: selector))
    }

    @Test func equalityNeedsAListedValue() throws {
        #expect(try may("{}"))
        #expect(try may(#"{comm="python3"}"#))
        #expect(try !may(#"{comm="nginx"}"#))
        #expect(try may(#"{pid="42"}"#))
        #expect(try !may(#"{pid="43"}"#))
        #expect(try may(#"{comm="python3", pid="7"}"#))
        #expect(try !may(#"{comm="python3", pid="8"}"#))
    }

    @Test func regexAndNegationAreJudgedOnTheListedValues() throws {
        #expect(try may(#"{comm=~"post.*"}"#))
        #expect(try !may(#"{comm=~"ng.*"}"#))
        #expect(try may(#"{comm!="python3"}"#), "postgres is not python3")
        #expect(try may(#"{comm!~"python3|postgres"}"#), "a sample without comm would match")
        #expect(try !may(#"{comm=~"python3|postgres", pid=~"8|9"}"#))
        #expect(try may(#"{pid!="42"}"#), "pid 7 is not 42")
    }

    @Test func absentKeysAndPartialValues() throws {
        #expect(try !may(#"{exe="/usr/bin/python3"}"#), "no sample carries exe")
        #expect(try may(#"{exe=""}"#), "an absent label equals the empty string")
        #expect(try may(#"{exe!="/usr/bin/python3"}"#))
        #expect(try may(#"{tid="99"}"#), "tid has more values than the summary lists")
    }

    /// Through the store: the hook skips blocks and the result equals filtering every sample.
    @Test func queryWithThePruningHookEqualsAFullScan() throws {
        let directory = try TemporaryDirectory("scorch-pruning")
        defer { directory.remove() }
        let store = try ProfileStore(directory: directory.path, options: StoreOptions(), logger: .init(label: "test"))
        for (index, comm) in ["python3", "postgres", "python3"].enumerated() {
            var builder = ProfileBuilder(
                sampleTypes: [ValueType(type: "samples", unit: "count")], periodType: nil, period: 0,
                timeNanos: Int64(index) * 10_000_000_000, durationNanos: 10_000_000_000)
            let function = builder.function(name: "\(comm)_main", systemName: "", filename: "")
            let location = builder.location(mappingID: 0, address: 0, lines: [Line(functionID: function, line: 0)])
            builder.addSample(locationIDs: [location], values: [Int64(index + 1)], labels: [.string("comm", comm)])
            _ = try store.append(
                builder.build(), start: Int64(index) * 10_000_000_000, end: Int64(index + 1) * 10_000_000_000)
        }
        let selector = try Selector(parsing: #"{comm="python3"}"#)
        var considered = 0
        var read = 0
        let pruned = try store.query(
            from: 0, to: 30_000_000_000,
            blocks: { info in
                considered += 1
                let may = info.labels.mayMatch(selector)
                if may { read += 1 }
                return may
            }, where: { selector.matches($0) })
        let full = try store.query(from: 0, to: 30_000_000_000, where: { selector.matches($0) })
        #expect(considered == 3 && read == 2, "the postgres block is skipped")
        #expect(pruned.samples.map(\.values) == full.samples.map(\.values))
        #expect(pruned.samples.reduce(0) { $0 + $1.values[0] } == 4)
    }
}
