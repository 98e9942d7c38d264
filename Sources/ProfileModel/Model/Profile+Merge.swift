extension Profile {
    /// This profile and `other` combined into one, with mappings, functions and locations re-interned and identical
    /// samples (same stack, same labels) summed.
    ///
    /// Follows pprof's `Merge`: sample types must be equal, and so must period types when both are set. The result
    /// starts at the earliest nonzero ``timeNanos``; see ``merge(_:)`` for the other header fields.
    ///
    /// - Throws: ``ProfileError/Code/incompatibleProfiles`` for differing types, or the first ``validate()`` failure
    ///   of either input.
    public func merged(with other: Profile) throws(ProfileError) -> Profile {
        try Self.merge([self, other])
    }

    /// All `profiles` combined into one; see ``merged(with:)``.
    ///
    /// Header fields: ``timeNanos`` is the earliest nonzero start. ``durationNanos`` is the span from that start to
    /// the latest end when every profile has a start time (so merging profiles of the same window does not double it),
    /// and the sum of durations otherwise. ``period`` is the largest period. Comments are concatenated without
    /// duplicates; the other strings come from the first profile that sets them.
    ///
    /// - Throws: ``ProfileError/Code/incompatibleProfiles`` when `profiles` is empty or types differ, or the first
    ///   ``validate()`` failure.
    public static func merge(_ profiles: [Profile]) throws(ProfileError) -> Profile {
        guard let first = profiles.first else {
            throw ProfileError(.incompatibleProfiles, "cannot merge: no profiles given")
        }
        var periodType = first.periodType
        for (index, profile) in profiles.enumerated() {
            guard profile.sampleTypes == first.sampleTypes else {
                throw ProfileError(
                    .incompatibleProfiles,
                    "cannot merge: profile \(index) has sample types \(profile.sampleTypes.map(\.description)) "
                        + "but profile 0 has \(first.sampleTypes.map(\.description))")
            }
            if let theirs = profile.periodType {
                if let ours = periodType, ours != theirs {
                    throw ProfileError(
                        .incompatibleProfiles,
                        "cannot merge: profile \(index) has period type \(theirs) but another has \(ours)")
                }
                periodType = theirs
            }
            try profile.validate()
        }

        var builder = ProfileBuilder(
            sampleTypes: first.sampleTypes,
            periodType: periodType,
            period: profiles.map(\.period).max() ?? 0,
            timeNanos: 0,
            durationNanos: 0,
            defaultSampleType: profiles.first { !$0.defaultSampleType.isEmpty }?.defaultSampleType ?? ""
        )
        var seenComments = Set<String>()
        for profile in profiles {
            builder.add(profile)
            for comment in profile.comments where seenComments.insert(comment).inserted {
                builder.addComment(comment)
            }
        }
        builder.setFrameFilters(
            drop: profiles.first { !$0.dropFrames.isEmpty }?.dropFrames ?? "",
            keep: profiles.first { !$0.keepFrames.isEmpty }?.keepFrames ?? "")
        builder.setDocURL(profiles.first { !$0.docURL.isEmpty }?.docURL ?? "")

        var merged = builder.build()
        (merged.timeNanos, merged.durationNanos) = mergedWindow(profiles)
        return merged
    }

    private static func mergedWindow(_ profiles: [Profile]) -> (timeNanos: Int64, durationNanos: Int64) {
        let starts = profiles.map(\.timeNanos).filter { $0 != 0 }
        let start = starts.min() ?? 0
        guard starts.count == profiles.count else {
            return (start, profiles.reduce(0) { $0.saturatingAdd($1.durationNanos) })
        }
        let end = profiles.map { $0.timeNanos.saturatingAdd($0.durationNanos) }.max() ?? start
        return (start, end.saturatingAdd(-start))
    }
}
