import Logging
import ProfileModel
import ProfileStore

/// Opens a store in `directory` with a logger that records into `recorder`.
func openStore(
    _ directory: String, _ options: StoreOptions = StoreOptions(), recorder: LogRecorder = LogRecorder()
) throws -> ProfileStore {
    try ProfileStore(directory: directory, options: options, logger: recorder.logger())
}

/// Read-only options.
var readOnlyOptions: StoreOptions {
    var options = StoreOptions()
    options.readOnly = true
    return options
}

/// Appends windows `indexes` of `workload` and returns their profiles.
@discardableResult
func appendWindows(_ store: ProfileStore, _ workload: Workload, _ indexes: Range<Int>) throws -> [Profile] {
    var profiles: [Profile] = []
    for index in indexes {
        let profile = workload.window(index)
        let (start, end) = workload.range(index)
        try store.append(profile, start: start, end: end)
        profiles.append(profile)
    }
    return profiles
}

/// The whole time axis.
let everything = (from: Int64.min, to: Int64.max)

/// Sum of each value column per (stack as frame names and addresses, sorted labels): what compaction must keep.
func totalsByStackAndLabels(_ profile: Profile) -> [String: [Int64]] {
    var totals: [String: [Int64]] = [:]
    for sample in profile.samples {
        let frames = sample.locationIDs.map { id -> String in
            guard let location = profile.location(id: id) else { return "?" }
            let file = profile.mapping(id: location.mappingID)?.file ?? ""
            let names = location.lines.map { profile.function(id: $0.functionID)?.name ?? "" }
            return "\(file)@\(location.address):\(names.joined(separator: "+"))"
        }
        let labels = sample.labels.map(\.description).sorted()
        let key = frames.joined(separator: ";") + "|" + labels.joined(separator: ",")
        let current = totals[key] ?? [Int64](repeating: 0, count: sample.values.count)
        totals[key] = zip(current, sample.values).map { $0 + $1 }
    }
    return totals
}
