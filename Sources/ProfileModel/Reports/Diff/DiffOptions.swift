/// How the two sides of a diff are put on one scale.
public enum DiffNormalization: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each side as a share of its own total: percentages, deltas in percentage points. Right for comparing runs of
    /// different lengths or load, and the default: "hot_b went from 25 % to 50 % of the CPU".
    case relative
    /// Raw values in the column's unit: "hot_b used 1.2 s more". Right when both sides cover the same work.
    case absolute
}

/// What to compare and how strictly; shared by ``DiffTopReport``, ``FlameGraph/init(diffOf:base:sampleIndex:normalization:maxNodes:)``,
/// ``FoldedStacks/renderDiff(base:new:valueIndex:normalization:rootLabel:)`` and ``Profile/diffBase(base:new:normalization:)``.
public struct DiffOptions: Sendable, Hashable {
    /// Relative (shares, the default) or absolute (raw values).
    public var normalization: DiffNormalization
    /// The family-wise error rate of the significance marks: the probability that any function is marked changed
    /// when nothing changed is at most `alpha` (see ``DiffTopReport`` for the test and the correction).
    public var alpha: Double
    /// The ``Profile/sampleTypes`` column to compare; nil chooses as ``TopReport`` does (the default sample type,
    /// else the last column).
    public var sampleIndex: Int?
    /// Bootstrap resamples when both sides come with windows (see ``DiffSide``).
    public var bootstrapResamples: Int
    /// Seed of the bootstrap's generator, so a diff of the same data always reports the same marks.
    public var seed: UInt64

    public init(
        normalization: DiffNormalization = .relative, alpha: Double = 0.01, sampleIndex: Int? = nil,
        bootstrapResamples: Int = 1000, seed: UInt64 = 0x5C07_C4D1_FF
    ) {
        self.normalization = normalization
        self.alpha = alpha
        self.sampleIndex = sampleIndex
        self.bootstrapResamples = bootstrapResamples
        self.seed = seed
    }
}

/// One side of a diff: a profile, and optionally the profiles of the time windows it was merged from.
///
/// Windows matter for significance: sample counts vary between windows more than sampling alone explains (load,
/// frequency scaling, other processes), and a bootstrap over windows measures that variation. A side from a pprof
/// file has no windows and is tested on its sample counts alone.
public struct DiffSide: Sendable {
    /// Everything on this side.
    public var profile: Profile
    /// The windows ``profile`` is the merge of, in time order; empty when unknown.
    public var windows: [Profile]

    /// A side with no window structure (e.g. a pprof file).
    public init(_ profile: Profile) {
        self.profile = profile
        self.windows = []
    }

    /// A side made of `windows` (e.g. groups of stored windows); ``profile`` is their merge.
    ///
    /// - Throws: ``ProfileError/Code/incompatibleProfiles`` when `windows` is empty or their types differ.
    public init(windows: [Profile]) throws(ProfileError) {
        self.profile = try Profile.merge(windows)
        self.windows = windows
    }
}
