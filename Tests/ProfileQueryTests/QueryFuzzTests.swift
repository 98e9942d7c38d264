import ProfileModel
import ProfileQuery
import Testing

/// Parsing must never trap: arbitrary text either parses or throws a `QueryError` with a position inside the input.
@Suite struct QueryFuzzTests {
    private static let iterations = 4_000

    /// Characters that mean something to the parsers, plus a few that stress position counting.
    private static let alphabet: [Character] =
        Array(#"{}=!~,"'`\ ab_Z09.*+-|()[]?^$:TtZz nowmshdwyxuU"#)
        + ["\n", "\t", "\u{0}", "é", "e\u{301}", "🔥", "日"]

    private func randomText(using rng: inout SeededGenerator, from pieces: [String]) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...24, using: &rng) {
            if Bool.random(using: &rng), let piece = pieces.randomElement(using: &rng) {
                text += piece
            } else if let character = Self.alphabet.randomElement(using: &rng) {
                text.append(character)
            }
        }
        return text
    }

    private func checkPosition(_ error: QueryError, in text: String) {
        #expect(error.position >= 0 && error.position <= text.count, "\(text.debugDescription): \(error)")
        #expect(!error.message.isEmpty)
        #expect(!error.description.isEmpty)
    }

    @Test func randomSelectors() {
        var rng = SeededGenerator(seed: 0x5E1EC7)
        let pieces = [
            "{", "}", "comm", "pid", "=", "!=", "=~", "!~", "\"x\"", "\"", ",", " ", "\\", "'a'", "`.*`", "\"(\"",
            "\"[a-\"", "\"\\u00\"", "\"\\x7\"",
        ]
        var parsed = 0
        for _ in 0..<Self.iterations {
            let text = randomText(using: &rng, from: pieces)
            do {
                let selector = try Selector(parsing: text)
                parsed += 1
                #expect(try Selector(parsing: selector.description) == selector, "\(text.debugDescription)")
                _ = selector.matches([.string("comm", "x"), .number("pid", 1)])
            } catch {
                checkPosition(error, in: text)
            }
        }
        #expect(parsed > 0, "some random selectors are well formed")
    }

    @Test func randomTimes() {
        var rng = SeededGenerator(seed: 0x71AE)
        let pieces = [
            "now", "-", "+", "1h", "30m", "ms", "2026-", "11-", "25T", "08:", "00:00", ".123", "Z", "+01:00", "99",
            "1764057600", " ",
        ]
        var parsed = 0
        for _ in 0..<Self.iterations {
            let text = randomText(using: &rng, from: pieces)
            let now = Int64.random(in: .min ... .max, using: &rng)
            do {
                _ = try TimeExpression.parse(text, now: Bool.random(using: &rng) ? now : 0)
                parsed += 1
            } catch {
                #expect(error.code == .invalidTime)
                checkPosition(error, in: text)
            }
        }
        #expect(parsed > 0, "some random times are well formed")
    }

    @Test func randomBytesAsText() {
        var rng = SeededGenerator(seed: 0xB17E5)
        for _ in 0..<Self.iterations {
            let bytes = (0..<Int.random(in: 0...32, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            if let error = selectorError(text, quiet: true) { checkPosition(error, in: text) }
            if let error = timeError(text, quiet: true) { checkPosition(error, in: text) }
        }
    }
}

extension QueryFuzzTests {
    private func selectorError(_ text: String, quiet: Bool) -> QueryError? {
        do {
            _ = try Selector(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    private func timeError(_ text: String, quiet: Bool) -> QueryError? {
        do {
            _ = try TimeExpression.parse(text, now: 0)
            return nil
        } catch {
            return error
        }
    }
}
