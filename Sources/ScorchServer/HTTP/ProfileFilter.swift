import ProfileModel
import ProfileQuery
import ProfileStore

/// The `from`, `to` and `selector` parameters shared by the profile endpoints, parsed exactly as `scorch query`
/// parses `--from`, `--to` and `--selector` (see `TimeExpression` and `Selector`).
struct ProfileFilter: Sendable {
    var range: TimeRange
    var selector: Selector

    /// Most characters of a time expression.
    static let maxTimeLength = 64
    /// Most characters of a selector.
    static let maxSelectorLength = 4096

    /// Parses the parameters `from` (default `-1h`), `to` (default `now`) and `selector` (default `{}`), or the
    /// parameters of the same meaning with `prefix` (`base_from`, …) and the given defaults.
    ///
    /// - Throws: ``APIError`` 400 naming the parameter; for a time or a selector with the 0-based position of the
    ///   offending character.
    init(
        _ parameters: QueryParameters, now: Int64, prefix: String = "", defaultFrom: String = "-1h",
        defaultTo: String = "now", defaultSelector: String = "{}"
    ) throws(APIError) {
        let fromName = prefix + "from"
        let toName = prefix + "to"
        let selectorName = prefix + "selector"
        let from = try Self.time(
            parameters.string(fromName, default: defaultFrom, maxLength: Self.maxTimeLength), fromName, now: now)
        let to = try Self.time(
            parameters.string(toName, default: defaultTo, maxLength: Self.maxTimeLength), toName, now: now)
        do {
            range = try TimeRange(from: from, to: to)
        } catch {
            throw APIError.badParameter(
                fromName, "\(fromName) (\(TimeExpression.rfc3339(from))) is after \(toName) "
                    + "(\(TimeExpression.rfc3339(to))); swap them or widen the range")
        }
        let text = try parameters.string(selectorName, default: defaultSelector, maxLength: Self.maxSelectorLength)
        do {
            selector = try Selector(parsing: text)
        } catch {
            throw APIError.badParameter(
                selectorName, "bad \(selectorName) at character \(error.position + 1): \(error.message)",
                position: error.position)
        }
    }

    private static func time(_ text: String, _ name: String, now: Int64) throws(APIError) -> Int64 {
        do {
            return try TimeExpression.parse(text, now: now)
        } catch {
            throw APIError.badParameter(
                name, "bad \(name) \"\(text)\" at character \(error.position + 1): \(error.message)",
                position: error.position)
        }
    }

    /// The merged profile of the matching samples, queried exactly as `scorch query` does: blocks whose label
    /// summary rules the selector out are not read.
    func profile(from store: ProfileStore) throws(StoreError) -> Profile {
        let selector = self.selector
        return try store.query(
            from: range.from, to: range.to, blocks: { $0.labels.mayMatch(selector) },
            where: { selector.matches($0) })
    }
}
