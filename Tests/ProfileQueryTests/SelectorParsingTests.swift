import ProfileQuery
import Testing

@Suite struct SelectorParsingTests {
    private func matcher(_ name: String, _ op: LabelMatcher.Operator, _ value: String) throws -> LabelMatcher {
        try LabelMatcher(name: name, op: op, value: value)
    }

    @Test(arguments: ["", "   ", "\t\n", "{}", " { } ", "{\n}"])
    func emptySelectsEverything(text: String) throws {
        let selector = try Selector(parsing: text)
        #expect(selector == .all)
        #expect(selector.matchers.isEmpty)
        #expect(selector.matches([]))
        #expect(selector.matches([.string("comm", "x")]))
    }

    @Test func everyOperator() throws {
        let selector = try Selector(parsing: #"{a="1", b!="2", c=~"3", d!~"4"}"#)
        #expect(
            selector.matchers == [
                try matcher("a", .equal, "1"), try matcher("b", .notEqual, "2"), try matcher("c", .regexMatch, "3"),
                try matcher("d", .regexNoMatch, "4"),
            ])
    }

    @Test(arguments: [
        #"{comm="python3",pid="42"}"#,
        #"{ comm = "python3" , pid = "42" }"#,
        "{\n\tcomm=\"python3\",\n\tpid=\"42\",\n}",
        #"  {comm="python3", pid="42",}  "#,
        #"{comm='python3', pid=`42`}"#,
    ])
    func whitespaceAndTrailingComma(text: String) throws {
        let selector = try Selector(parsing: text)
        #expect(selector.matchers == [try matcher("comm", .equal, "python3"), try matcher("pid", .equal, "42")])
    }

    @Test func labelNames() throws {
        let selector = try Selector(parsing: #"{_="", A_9z="", __name__="x"}"#)
        #expect(selector.matchers.map(\.name) == ["_", "A_9z", "__name__"])
    }

    @Test func doubleQuotedEscapes() throws {
        let selector = try Selector(parsing: #"{a="q\"b\\s\nn\tt\rr\a\b\f\v", b="\x41\u00e9\U0001F525", c="\"'"}"#)
        #expect(selector.matchers[0].value == "q\"b\\s\nn\tt\rr\u{07}\u{08}\u{0C}\u{0B}")
        #expect(selector.matchers[1].value == "Aé🔥")
        #expect(selector.matchers[2].value == "\"'")
    }

    @Test func singleQuotesAndBackticks() throws {
        let selector = try Selector(parsing: #"{a='it\'s "x"', b=`raw\.regex\d+`, c=`a"b'c`}"#)
        #expect(selector.matchers.map(\.value) == ["it's \"x\"", #"raw\.regex\d+"#, "a\"b'c"])
    }

    @Test func valuesKeepSpecialCharacters() throws {
        let selector = try Selector(parsing: #"{a="{},=~!}", b="", c="日本語 ☃"}"#)
        #expect(selector.matchers.map(\.value) == ["{},=~!}", "", "日本語 ☃"])
    }

    @Test func repeatedNamesAllMustHold() throws {
        let selector = try Selector(parsing: #"{comm=~"py.*", comm!="pypy"}"#)
        #expect(selector.matches([.string("comm", "python3")]))
        #expect(!selector.matches([.string("comm", "pypy")]))
        #expect(!selector.matches([.string("comm", "bash")]))
    }

    @Test func descriptionIsCanonicalAndRoundTrips() throws {
        let selector = try Selector(parsing: #"{ comm = 'py"3' ,pid!~`4\d+`, x="a\\b\n\u0001",}"#)
        #expect(selector.description == #"{comm="py\"3", pid!~"4\\d+", x="a\\b\n\u0001"}"#)
        #expect(try Selector(parsing: selector.description) == selector)
        #expect(Selector.all.description == "{}")
        #expect(try matcher("comm", .regexMatch, "a|b").description == #"comm=~"a|b""#)
    }

    @Test func equalityUsesTheText() throws {
        #expect(try Selector(parsing: #"{a="1"}"#) == Selector(parsing: #"{ a = '1' }"#))
        #expect(try Selector(parsing: #"{a="1"}"#) != Selector(parsing: #"{a!="1"}"#))
        #expect(try Selector(parsing: #"{a="1", b="2"}"#) != Selector(parsing: #"{b="2", a="1"}"#))
        let set: Set = [try matcher("a", .regexMatch, "x.*"), try matcher("a", .regexMatch, "x.*")]
        #expect(set.count == 1)
    }
}
