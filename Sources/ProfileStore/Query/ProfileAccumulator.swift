import ProfileModel

/// Merges a stream of profiles in batches, so a query over thousands of blocks never holds them all decoded.
///
/// `Profile.merge([merged] + batch)` gives the same result as merging all inputs at once: the running result comes
/// first, so entities and samples keep their order of first appearance and the header rules (earliest start, span
/// of windows, largest period, first non-empty strings) compose.
struct ProfileAccumulator {
    private var merged: Profile?
    private var pending: [Profile] = []
    private let batchSize: Int

    init(batchSize: Int = 64) {
        self.batchSize = batchSize
    }

    /// Whether no profile was added.
    var isEmpty: Bool { merged == nil && pending.isEmpty }

    mutating func add(_ profile: Profile) throws(ProfileError) {
        pending.append(profile)
        if pending.count >= batchSize { try flush() }
    }

    /// The merge of everything added, or nil if nothing was.
    mutating func result() throws(ProfileError) -> Profile? {
        try flush()
        return merged
    }

    private mutating func flush() throws(ProfileError) {
        guard !pending.isEmpty else { return }
        merged = try Profile.merge((merged.map { [$0] } ?? []) + pending)
        pending = []
    }
}
