/// What maintenance remembers between runs about the dictionaries compacted blocks are written with; guarded by the
/// store's maintenance lock.
///
/// Compacted blocks are compressed with a dictionary too (codec 2), so that an hour of them costs little more than
/// their samples. Two candidates: the dictionary the last compacted blocks used (*current*), whose frames the
/// compacted history holds already, and the dictionary most of the merged windows were written with (fresh, but
/// its frames would have to stay for good). A merged block is compressed with both; the current one is kept while
/// the bytes it costs more have not added up to what the other one's two frames cost (the ski-rental rule), then
/// the other one becomes current.
struct MaintenanceState: Sendable {
    /// Dictionaries loaded from segments (content and context), by id; a few at most.
    private var loaded: [UInt32: BlockDictionary] = [:]
    /// The dictionary compacted blocks are written with.
    private(set) var current: UInt32?
    /// Bytes compacted blocks spent by staying with ``current`` instead of switching, since it became current.
    private var staleBytes = 0

    /// Dictionaries kept loaded at most (each holds its context and a zstd dictionary: a few MiB).
    static let capacity = 2

    /// The current dictionary and the one most of `refs` (the windows to merge) use, when they can be loaded and
    /// differ (nil otherwise).
    ///
    /// - Parameters:
    ///   - available: every dictionary frame of the rewrite's inputs, to load the current one from.
    ///   - load: reads and loads a dictionary frame; nil when it is damaged.
    mutating func candidates(
        for refs: [BlockRef], available: [(SegmentFile, DictionaryRecord)],
        load: (SegmentFile, DictionaryRecord) throws(StoreError) -> BlockDictionary?
    ) throws(StoreError) -> (current: BlockDictionary?, merged: BlockDictionary?) {
        var counts: [UInt32: Int] = [:]
        for ref in refs where ref.record.header.codec == .zstdWithDictionary {
            counts[ref.record.header.dictionaryID, default: 0] += 1
        }
        var merged: BlockDictionary?
        if let (id, _) = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
            let ref = refs.first(where: { $0.record.header.dictionaryID == id && !$0.record.dictionaryCopies.isEmpty })
        {
            merged = try cached(id) { () throws(StoreError) -> BlockDictionary? in
                for copy in ref.record.dictionaryCopies {
                    if let dictionary = try load(ref.file, copy) { return dictionary }
                }
                return nil
            }
        }
        var current: BlockDictionary?
        if let id = self.current {
            current = try cached(id) { () throws(StoreError) -> BlockDictionary? in
                for (file, record) in available where record.id == id {
                    if let dictionary = try load(file, record) { return dictionary }
                }
                return nil
            }
        }
        if current?.id == merged?.id { merged = nil }
        return (current, merged)
    }

    /// Which of the candidates a merged block is written with, given its compressed size with each.
    ///
    /// - Parameter isFree: whether the output keeps a dictionary's frames anyway (compacted blocks use it).
    mutating func choose(
        current: (dictionary: BlockDictionary, bytes: Int)?, merged: (dictionary: BlockDictionary, bytes: Int)?,
        isFree: (UInt32) -> Bool
    ) -> BlockDictionary? {
        guard let merged else { return current?.dictionary }
        guard let current else {
            makeCurrent(merged.dictionary)
            return merged.dictionary
        }
        let switching = isFree(merged.dictionary.id) ? 0 : 2 * merged.dictionary.frame.count
        let staying = isFree(current.dictionary.id) ? 0 : 2 * current.dictionary.frame.count
        staleBytes += max(0, current.bytes - merged.bytes)
        if staying + current.bytes > switching + merged.bytes || staleBytes >= switching {
            makeCurrent(merged.dictionary)
            return merged.dictionary
        }
        return current.dictionary
    }

    /// Forgets the loaded dictionaries (the id of the current one is kept): maintenance runs every minute or so, and
    /// between runs the memory is better left to the agent.
    mutating func releaseDictionaries() {
        loaded = [:]
    }

    private mutating func makeCurrent(_ dictionary: BlockDictionary) {
        if current != dictionary.id { staleBytes = 0 }
        current = dictionary.id
    }

    private mutating func cached(
        _ id: UInt32, load: () throws(StoreError) -> BlockDictionary?
    ) throws(StoreError) -> BlockDictionary? {
        if let dictionary = loaded[id] { return dictionary }
        guard let dictionary = try load() else { return nil }
        if loaded.count >= Self.capacity, let victim = loaded.keys.first(where: { $0 != current }) {
            loaded[victim] = nil
        }
        loaded[id] = dictionary
        return dictionary
    }
}
