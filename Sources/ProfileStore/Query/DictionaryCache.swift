/// The decompression dictionaries a store has loaded, least recently used first out; guarded by the store's
/// dictionary cache lock.
///
/// Keyed by the segment file (device and inode) and the dictionary id: a rewritten segment is a new file, so a
/// cached dictionary always belongs to the file its blocks are read from.
struct DictionaryCache: Sendable {
    struct Key: Hashable, Sendable {
        var file: FileIdentity
        var id: UInt32
    }

    /// Dictionaries kept at most (each a few times as large as its content, which is at most
    /// ``StoreOptions/dictionaryBytes``).
    static let capacity = 2

    private var entries: [Key: (dictionary: LoadedDictionary, lastUse: Int)] = [:]
    private var clock = 0
    /// Dictionary frames found damaged when read, so each is reported once.
    var damagedCopies: Set<BlockAddress> = []

    mutating func dictionary(for key: Key) -> LoadedDictionary? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.dictionary, clock)
        return entry.dictionary
    }

    /// Forgets every loaded dictionary (damaged copies stay remembered).
    mutating func removeAll() {
        entries = [:]
    }

    mutating func insert(_ dictionary: LoadedDictionary, for key: Key) {
        clock += 1
        entries[key] = (dictionary, clock)
        while entries.count > Self.capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
        }
    }
}
