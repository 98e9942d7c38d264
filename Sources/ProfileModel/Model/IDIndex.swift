internal import Synchronization

/// Where each id sits in an array of identified elements (mappings, locations or functions).
enum IDIndex: Sendable {
    /// Element `i` has id `i + 1` for every `i`: the layout ``ProfileBuilder`` produces and most pprof writers use.
    case dense(count: Int)
    /// Any other layout: the position of the first element with each id.
    case sparse([UInt64: Int])

    init(ids: [UInt64]) {
        var isDense = true
        for (position, id) in ids.enumerated() where id != UInt64(position) + 1 {
            isDense = false
            break
        }
        if isDense {
            self = .dense(count: ids.count)
            return
        }
        var positions = [UInt64: Int](minimumCapacity: ids.count)
        for (position, id) in ids.enumerated() where positions[id] == nil {
            positions[id] = position
        }
        self = .sparse(positions)
    }

    /// The position of the first element with `id`, or nil if there is none.
    func position(of id: UInt64) -> Int? {
        switch self {
        case .dense(let count):
            return id >= 1 && id <= UInt64(count) ? Int(id - 1) : nil
        case .sparse(let positions):
            return positions[id]
        }
    }
}

/// An ``IDIndex`` built on first use and shared by all copies of one array value.
///
/// Contract: a `LazyIDIndex` describes exactly one array value. ``Profile`` creates a fresh one whenever it assigns or
/// mutates the corresponding array, so a cache never outlives the array it indexes. The index is built at most once,
/// under a lock, which makes concurrent lookups on copies of the same `Profile` safe.
final class LazyIDIndex: Sendable {
    private let index = Mutex<IDIndex?>(nil)

    init() {}

    /// The position of `id`, building the index from `ids()` if this is the first lookup.
    func position(of id: UInt64, ids: () -> [UInt64]) -> Int? {
        index.withLock { index in
            if let index { return index.position(of: id) }
            let built = IDIndex(ids: ids())
            index = built
            return built.position(of: id)
        }
    }
}
