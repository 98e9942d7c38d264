import ProfileModel
import ProfileQuery
import ProfileStore

/// A side of `scorch diff` read from a store range, in groups of windows for the bootstrap.
enum StoreSide {
    /// Groups of windows per side: enough for a bootstrap to see the variation between windows, few enough that
    /// resampling stays cheap.
    static let maxGroups = 32

    /// The windows of `[from, to)` matching `selector`, as a ``DiffSide``.
    ///
    /// - Throws: ``CLIError`` with exit code 2 for a bad time or selector, an unreadable store or an empty range.
    static func load(
        _ store: ProfileStore, name: String, from: String, to: String, selector: String, now: Int64
    ) throws(CLIError) -> DiffSide {
        let range: TimeRange
        let parsed: Selector
        do {
            range = try TimeRange(from: TimeExpression.parse(from, now: now), to: TimeExpression.parse(to, now: now))
            parsed = try Selector(parsing: selector)
        } catch {
            throw CLIError("the \(name) range: \(error)", exitCode: 2)
        }
        let groups: [Profile]
        do {
            groups = try store.queryGroups(
                from: range.from, to: range.to, maxGroups: maxGroups, blocks: { $0.labels.mayMatch(parsed) },
                where: { parsed.matches($0) })
        } catch {
            throw CLIError("\(error)", exitCode: 2)
        }
        guard !groups.isEmpty else {
            throw CLIError(
                "cannot diff: the \(name) side has no samples in \(store.directory) from \(from) to \(to) "
                    + "matching \(selector)", exitCode: 2)
        }
        do {
            return try DiffSide(windows: groups)
        } catch {
            throw CLIError("cannot diff: the \(name) range: \(error.message)", exitCode: 2)
        }
    }
}
