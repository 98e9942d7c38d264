/// The pprof string table under construction: each distinct string once, entry 0 always `""`.
///
/// Indices are assigned in order of first use, so encoding the same profile twice yields the same table.
struct StringTable {
    private(set) var strings: [String] = [""]
    private var indices: [String: Int64] = ["": 0]

    /// The index of `string`, appending it if it is new.
    mutating func index(_ string: String) -> Int64 {
        if let index = indices[string] { return index }
        let index = Int64(strings.count)
        strings.append(string)
        indices[string] = index
        return index
    }
}
