import ProfileModel
import ProfileQuery

extension LabelSummary {
    /// Whether a block with this summary may hold a sample that `selector` matches; false only when it certainly
    /// holds none, so a query can skip the block without reading it.
    ///
    /// Each matcher is judged alone: it may match when the block lists a value of its label that it accepts, when
    /// the key's values are only partly listed, or when it accepts samples without the label (a block does not say
    /// whether every sample carries every key).
    public func mayMatch(_ selector: Selector) -> Bool {
        selector.matchers.allSatisfy { matcher in
            if matcher.matches([]) { return true }
            guard let values = keys[matcher.name] else { return false }
            if !values.isComplete { return true }
            return values.strings.contains { matcher.matches([.string(matcher.name, $0)]) }
                || values.numbers.contains { matcher.matches([.number(matcher.name, $0)]) }
        }
    }
}
