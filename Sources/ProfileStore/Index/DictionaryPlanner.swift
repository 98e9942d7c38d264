import ProfileModel

/// Chooses the dictionary appended windows are compressed with, and when to replace it; guarded by the store's
/// append lock (taken before the writer lock).
///
/// It keeps *candidates*: the rows of the current dictionary's context followed by every row later windows brought,
/// with the window in which each stack and label set was last used. A new dictionary's context is made of the
/// recently used candidates (see ``makeDictionary(for:start:end:level:maximumBytes:excluding:)``). A dictionary is
/// replaced when its frames must be written into a new segment anyway (a dictionary lives in the segment of its
/// blocks; with hourly compaction that is about once an hour), when it is two hours old (so rows no longer used drop
/// out), or when windows have spent more bytes on rows it lacks than writing a new one costs.
struct DictionaryPlanner: Sendable {
    /// The dictionary new windows are compressed with.
    private(set) var dictionary: BlockDictionary?
    /// Rows of the current context, then rows of later windows.
    private var candidates = PayloadTables()
    /// Per candidate stack and label set: the number of the window that last used it.
    private var stackLastUsed: [Int] = []
    private var labelSetLastUsed: [Int] = []
    /// Windows appended so far.
    private var windows = 0
    /// Estimated compressed bytes windows spent on rows that the current dictionary lacks.
    private(set) var staleBytes = 0
    /// Start of the window the current dictionary was made for.
    private var dictionaryStart: Int64 = 0
    /// Whether the current dictionary's context left out recent rows to stay under the size limit: a new one would
    /// lack rows as well, so rows it lacks do not call for a new one.
    private var truncated = false

    /// How long a dictionary is used at most (window time), so rows no longer used drop out. Longer than the life of
    /// a segment under hourly compaction, which makes a new dictionary anyway.
    static let maximumAge: Int64 = 2 * 3_600_000_000_000
    /// Windows (of the most recent ones) whose rows a new context keeps, when they fit.
    static let recentWindows = 360

    /// Whether the window starting at `start` should get a new dictionary. `inOpenSegment` tells whether the
    /// current dictionary's frames are already (twice) in the segment the window will be appended to;
    /// `maximumBytes` is the context limit (candidates beyond twice that are pruned by a new dictionary).
    func needsNewDictionary(start: Int64, inOpenSegment: Bool, maximumBytes: Int) -> Bool {
        guard let dictionary else { return true }
        if !inOpenSegment || candidates.estimatedBytes > 2 * maximumBytes { return true }
        if start.addingSaturated(-dictionaryStart) >= Self.maximumAge || start < dictionaryStart { return true }
        // Writing a dictionary costs its two frames: refresh once the rows it lacks have cost as much (ski rental),
        // unless the recent rows do not fit into one anyway.
        return !truncated && staleBytes >= 2 * dictionary.frame.count
    }

    /// Makes a dictionary for `profile` (normalized) and later windows from the recent candidates and the rows of
    /// `profile`, and makes it current.
    ///
    /// The context holds the stacks and label sets used by the last ``recentWindows`` windows; if that exceeds
    /// `maximumBytes`, the horizon is halved until it fits (the rows of `profile` are always kept).
    mutating func makeDictionary(
        for profile: Profile, start: Int64, end: Int64, level: Int32, maximumBytes: Int, excluding: Set<UInt32>
    ) throws(FormatError) -> BlockDictionary {
        // The window being appended is number `windows + 1`; ``record(_:profile:)`` counts it once written.
        absorb(profile, window: windows + 1)
        var horizon = Self.recentWindows
        var context: PayloadTables
        var fits = true
        repeat {
            let oldest = windows + 1 - horizon
            let stacks = stackLastUsed.indices.filter { stackLastUsed[$0] > oldest }
            let labelSets = labelSetLastUsed.indices.filter { labelSetLastUsed[$0] > oldest }
            context = candidates.canonicalContext(stacks: stacks, labelSets: labelSets, strings: profile.headerStrings)
            horizon /= 2
            if context.estimatedBytes > maximumBytes { fits = false }
        } while context.estimatedBytes > maximumBytes && horizon >= 1
        let dictionary = try BlockDictionary(
            context: context, example: profile, start: start, end: end, level: level, excluding: excluding)
        adopt(dictionary)
        dictionaryStart = start
        truncated = !fits
        return dictionary
    }

    /// Makes `dictionary` current with its context as the candidates: after ``makeDictionary``, and at writer open
    /// for the newest dictionary of the open segment, so appends go on with it as if the writer had not restarted.
    mutating func adopt(_ dictionary: BlockDictionary) {
        self.dictionary = dictionary
        candidates = dictionary.context
        stackLastUsed = [Int](repeating: windows, count: candidates.stacks.count)
        labelSetLastUsed = [Int](repeating: windows, count: candidates.labelSets.count)
        staleBytes = 0
        dictionaryStart = dictionary.header.start
        truncated = false
    }

    /// Records a window written with the current dictionary: `output` is what ``ContextPayloadEncoder`` interned.
    mutating func record(_ output: ContextPayloadEncoder.Interned, profile: Profile) {
        guard let dictionary else { return }
        windows += 1
        let context = dictionary.context
        guard output.tables.counts != context.counts else {
            // Everything is in the context, whose rows are the first rows of the candidates.
            for stack in output.stacksUsed { stackLastUsed[stack] = windows }
            for labels in output.labelSetsUsed { labelSetLastUsed[labels] = windows }
            return
        }
        // Roughly what zstd makes of rows it cannot find in the dictionary.
        staleBytes += (output.tables.estimatedBytes - context.estimatedBytes) / 3
        absorb(profile, window: windows)
    }

    /// Adds the rows of `profile` to the candidates and marks its stacks and label sets used by window `window`.
    private mutating func absorb(_ profile: Profile, window: Int) {
        let output = ContextPayloadEncoder.intern(profile, into: candidates)
        candidates = output.tables
        stackLastUsed += [Int](repeating: 0, count: candidates.stacks.count - stackLastUsed.count)
        labelSetLastUsed += [Int](repeating: 0, count: candidates.labelSets.count - labelSetLastUsed.count)
        for stack in output.stacksUsed { stackLastUsed[stack] = window }
        for labels in output.labelSetsUsed { labelSetLastUsed[labels] = window }
    }
}
