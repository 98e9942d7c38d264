public import ProfileModel

extension Profile {
    /// The samples whose labels `selector` matches, in their original order, in a compacted profile.
    ///
    /// Locations, functions and mappings that no kept sample reaches are dropped, and the remaining ones get dense
    /// ids `1...n` in their original array order, with every reference rewritten (see ``Profile`` for the lookup
    /// speed this gives). Header fields, sample types, values and labels are kept as they are; samples are not
    /// merged. This also happens for ``Selector/all``, so the result is always compact.
    ///
    /// The input should be valid (``Profile/validate()``); then so is the result. In an invalid profile, a reference
    /// to an id that does not exist becomes 0, and only the first of several elements with the same id is kept.
    public func filtered(by selector: Selector) -> Profile {
        var result = self
        result.samples = samples.filter { selector.matches($0.labels) }
        result.removeUnreferencedEntities()
        return result
    }
}
