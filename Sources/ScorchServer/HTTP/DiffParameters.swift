import ProfileModel
import ProfileStore

/// The base side of a diff: `base_from`, `base_to`, `base_selector` (any of them turns a flame graph or a top table
/// into a diff; the missing ones default to `from`, `to` and `selector`) and `normalization` (`relative`, the
/// default, or `absolute`; see `DiffNormalization`; checked always, used only with a base).
struct DiffParameters: Sendable {
    static let names: Set<String> = ["base_from", "base_to", "base_selector", "normalization"]
    /// Groups of windows per side for the significance bootstrap, as `scorch diff` reads store ranges.
    static let maxGroups = 32

    var base: ProfileFilter
    var normalization: DiffNormalization

    /// The base side, or nil when no base parameter is given (then a valid `normalization` is ignored).
    ///
    /// - Throws: ``APIError`` 400 naming the parameter, as ``ProfileFilter`` does.
    static func parse(_ parameters: QueryParameters, now: Int64) throws(APIError) -> DiffParameters? {
        let text = parameters["normalization"] ?? ""
        guard let normalization = text.isEmpty ? .relative : DiffNormalization(rawValue: text) else {
            throw APIError.badParameter("normalization", "normalization must be relative or absolute, not \"\(text)\"")
        }
        guard ["base_from", "base_to", "base_selector"].contains(where: { parameters[$0] != nil }) else { return nil }
        let from = try parameters.string("from", default: "-1h", maxLength: ProfileFilter.maxTimeLength)
        let to = try parameters.string("to", default: "now", maxLength: ProfileFilter.maxTimeLength)
        let selector = try parameters.string("selector", default: "{}", maxLength: ProfileFilter.maxSelectorLength)
        let base = try ProfileFilter(
            parameters, now: now, prefix: "base_", defaultFrom: from, defaultTo: to, defaultSelector: selector)
        return DiffParameters(base: base, normalization: normalization)
    }

    /// A diff constructor's refusal (sides that do not compare, a side without samples) as a 400.
    static func refused(_ error: ProfileError) -> APIError {
        let side = error.message.contains("the new profile has no samples") ? "from" : "base_from"
        return APIError.badParameter(side, error.message)
    }
}
