internal import Synchronization

/// A regular expression compiled once and matched against whole label values, with the answers remembered.
///
/// Matching is anchored at both ends (``matches(_:)`` uses `wholeMatch`, which is what PromQL's `^(?:re)$` means)
/// and `.` also matches newlines, as in Prometheus 3. The syntax is Swift's `Regex` syntax, which accepts the RE2
/// constructs selectors use (classes, alternation, repetition, groups, `(?i)`). Matching works on `Character`s.
///
/// Concurrency: `Regex` is not declared `Sendable`, but a built `Regex` is immutable apart from its lazily lowered
/// program, which the standard library initializes atomically; ``init(_:)`` forces that lowering anyway. The memo is
/// behind a `Mutex`. So one instance may be shared by any number of threads, hence `@unchecked Sendable`.
final class CompiledRegex: @unchecked Sendable {
    /// Distinct values remembered per regex; values beyond this are matched every time (label values such as `comm`
    /// repeat across samples, so a small memo answers almost every call).
    static let memoCapacity = 4096

    private let regex: Regex<AnyRegexOutput>
    private let memo = Mutex<[String: Bool]>([:])

    /// Compiles `pattern`.
    ///
    /// - Throws: the standard library's parse error, whose description says what is wrong (`expected ')'`).
    init(_ pattern: String) throws {
        regex = try Regex(pattern).dotMatchesNewlines()
        _ = try? regex.wholeMatch(in: "")
    }

    /// Whether the whole of `value` matches.
    func matches(_ value: String) -> Bool {
        if let known = memo.withLock({ $0[value] }) { return known }
        let result = (try? regex.wholeMatch(in: value)) != nil
        memo.withLock { memo in
            if memo.count < Self.memoCapacity { memo[value] = result }
        }
        return result
    }
}
