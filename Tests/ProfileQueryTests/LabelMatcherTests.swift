import ProfileModel
import ProfileQuery
import Testing

@Suite struct LabelMatcherTests {
    private let python: [Label] = [.string("comm", "python3"), .number("pid", 42), .string("exe", "/usr/bin/python3")]
    private let anonymous: [Label] = [.number("pid", 7)]

    private func selects(_ text: String, _ labels: [Label]) throws -> Bool {
        try Selector(parsing: text).matches(labels)
    }

    @Test func equal() throws {
        #expect(try selects(#"{comm="python3"}"#, python))
        #expect(try !selects(#"{comm="python"}"#, python))
        #expect(try !selects(#"{comm="Python3"}"#, python))
        #expect(try !selects(#"{comm="python3"}"#, anonymous))
    }

    @Test func notEqual() throws {
        #expect(try selects(#"{comm!="bash"}"#, python))
        #expect(try !selects(#"{comm!="python3"}"#, python))
        #expect(try selects(#"{comm!="x"}"#, anonymous), "an absent label is \"\", which differs from x")
        #expect(try !selects(#"{comm!=""}"#, anonymous))
        #expect(try selects(#"{comm!=""}"#, python))
    }

    @Test func regexMatch() throws {
        #expect(try selects(#"{comm=~"py.*"}"#, python))
        #expect(try selects(#"{comm=~"python[0-9]"}"#, python))
        #expect(try selects(#"{comm=~"bash|python3|zsh"}"#, python))
        #expect(try selects(#"{comm=~"(?i)PYTHON3"}"#, python))
        #expect(try !selects(#"{comm=~"java.*"}"#, python))
        #expect(try !selects(#"{comm=~"py.+"}"#, anonymous))
    }

    @Test func regexNoMatch() throws {
        #expect(try selects(#"{comm!~"java.*"}"#, python))
        #expect(try !selects(#"{comm!~"py.*"}"#, python))
        #expect(try selects(#"{comm!~".+"}"#, anonymous))
        #expect(try !selects(#"{comm!~".*"}"#, anonymous))
    }

    @Test func regexesAreAnchored() throws {
        #expect(try !selects(#"{comm=~"ytho"}"#, python), "no substring match")
        #expect(try !selects(#"{comm=~"python"}"#, python), "no prefix match")
        #expect(try !selects(#"{comm=~"ython3"}"#, python), "no suffix match")
        #expect(try !selects(#"{comm=~"bash|pyth"}"#, python), "alternation is anchored as a whole")
        #expect(try !selects(#"{comm=~"x|python3y"}"#, python))
        #expect(try !selects(#"{comm=~"p[a-z]+"}"#, python))
        #expect(try selects(#"{comm=~"p[a-z]+\\d"}"#, python))
        #expect(try selects(#"{comm!~"ytho"}"#, python))
    }

    @Test func dotMatchesNewlines() throws {
        #expect(try selects(#"{msg=~"a.b"}"#, [.string("msg", "a\nb")]))
        #expect(try selects(#"{msg=~"a.*"}"#, [.string("msg", "a\nb")]))
        #expect(try selects(#"{msg=~".*"}"#, [.string("msg", "\n")]))
    }

    @Test func absentLabelsAreEmpty() throws {
        #expect(try selects(#"{exe=""}"#, anonymous))
        #expect(try !selects(#"{exe=""}"#, python))
        #expect(try selects(#"{exe=~""}"#, anonymous))
        #expect(try selects(#"{exe=~".*"}"#, anonymous))
        #expect(try selects(#"{exe=~"|/usr/.*"}"#, anonymous))
        #expect(try selects(#"{exe=~"(/usr/.*)?"}"#, anonymous))
        #expect(try !selects(#"{exe=~".+"}"#, anonymous))
        #expect(try selects(#"{exe!~".+"}"#, anonymous))
        #expect(try selects(#"{exe=""}"#, [.string("exe", "")]), "an empty string label is the same as none")
    }

    @Test func numericLabelsCompareByDecimalForm() throws {
        #expect(try selects(#"{pid="42"}"#, python))
        #expect(try !selects(#"{pid="042"}"#, python))
        #expect(try !selects(#"{pid="+42"}"#, python))
        #expect(try !selects(#"{pid="42.0"}"#, python))
        #expect(try selects(#"{pid!="43"}"#, python))
        #expect(try selects(#"{pid=~"4[0-9]"}"#, python))
        #expect(try selects(#"{pid=~"4.*"}"#, python))
        #expect(try selects(#"{pid=~"1|42|7"}"#, python))
        #expect(try !selects(#"{pid=~"4"}"#, python))
        #expect(try selects(#"{n="-5"}"#, [.number("n", -5)]))
        #expect(try selects(#"{n="0"}"#, [.number("n", 0)]))
        #expect(try selects(#"{n="-9223372036854775808"}"#, [.number("n", .min)]))
        #expect(try selects(#"{size="4096"}"#, [.number("size", 4096, unit: "bytes")]), "units are ignored")
        #expect(try !selects(#"{pid=""}"#, python))
    }

    @Test func firstLabelWithTheKeyCounts() throws {
        let labels: [Label] = [.string("comm", "a"), .string("comm", "b")]
        #expect(try selects(#"{comm="a"}"#, labels))
        #expect(try !selects(#"{comm="b"}"#, labels))
    }

    @Test func multipleMatchersAllHold() throws {
        #expect(try selects(#"{comm="python3", pid="42", exe=~"/usr/.*"}"#, python))
        #expect(try !selects(#"{comm="python3", pid="43"}"#, python))
        #expect(try !selects(#"{comm="python3", tid="42"}"#, python))
    }

    /// Regexes answered by string operations must agree with the regex engine on every value.
    @Test(arguments: [
        "", ".*", ".+", "abc", "abc.*", "a|b|", "a|bc|abc", "python3", "py.*", "é", "e.*", "|", "a b",
    ])
    func fastPathsAgreeWithTheRegexEngine(pattern: String) throws {
        let fast = try LabelMatcher(name: "v", op: .regexMatch, value: pattern)
        // Wrapping in a group keeps the meaning but forces the regex engine.
        let slow = try LabelMatcher(name: "v", op: .regexMatch, value: "(?:\(pattern))")
        let values = [
            "", "a", "b", "bc", "abc", "abcd", "abc\n", "xabc", "python3", "python", "py", "e", "é", "e\u{301}",
            "e\u{301}x", "a b", "|", "🔥",
        ]
        for value in values {
            let labels: [Label] = [.string("v", value)]
            #expect(fast.matches(labels) == slow.matches(labels), "pattern \(pattern) value \(value.debugDescription)")
        }
        #expect(fast.matches([]) == slow.matches([]))
    }

    @Test func repeatedCallsGiveTheSameAnswer() throws {
        let matcher = try LabelMatcher(name: "comm", op: .regexMatch, value: "w[0-9]+")
        for round in 0..<3 {
            for index in 0..<5_000 {
                let labels: [Label] = [.string("comm", index.isMultiple(of: 3) ? "w\(index)" : "x\(index)")]
                #expect(matcher.matches(labels) == index.isMultiple(of: 3), "round \(round) index \(index)")
            }
        }
    }

    @Test func sharedAcrossTasks() async throws {
        let selector = try Selector(parsing: #"{comm=~"worker-[0-9]*[02468]", pid!~"1.*"}"#)
        let counts = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var matched = 0
                    for index in 0..<2_000 {
                        let labels: [Label] = [.string("comm", "worker-\(index % 100)"), .number("pid", Int64(task))]
                        if selector.matches(labels) { matched += 1 }
                    }
                    return matched
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        // Task 1's pid starts with 1; the others see every even worker: 1000 of 2000.
        #expect(counts.sorted() == [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000])
    }
}
