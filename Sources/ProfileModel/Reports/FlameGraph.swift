/// A profile as a call tree for flame graphs: each node is a frame in a calling context, with the value of the samples
/// that stopped in it (`self`) and of all samples that passed through it (`total`).
///
/// - Frames are named as in ``TopReport`` and ``FoldedStacks``: function names, one frame per line of a location with
///   inlined calls (outermost first, the inlined ones marked ``Node/inlined``), `libfoo.so+0x1234` for unsymbolized
///   addresses. Sibling frames with the same name, file and mapping are one node.
/// - The tree can be pruned to at most `maxNodes` nodes: the nodes with the largest totals are kept (a node's total
///   never exceeds its parent's for non-negative values, so they form a tree from the root), and the total of every
///   cut child is added to its parent's `self`. Every total stays exact, and `self` of the root plus the totals of
///   its children always equals the root's total.
public struct FlameGraph: Sendable, Hashable, Codable {
    /// One frame in one calling context.
    public struct Node: Sendable, Hashable, Codable {
        public var name: String
        /// Value of the samples whose stack ends here, plus that of pruned descendants.
        public var `self`: Int64
        /// Value of every sample that passed through this frame.
        public var total: Int64
        /// The function's source file, when known.
        public var file: String?
        /// The function's start line, when known.
        public var line: Int64?
        /// Base name of the binary the frame's code is in, when known.
        public var mapping: String?
        /// True when the frame was inlined into its caller (it has no call instruction of its own).
        public var inlined: Bool?
        /// Callees, largest total first, then by name.
        public var children: [Node]
        /// In a diff flame graph (``FlameGraph/init(diffOf:base:sampleIndex:normalization:maxNodes:)``): the base
        /// profile's `self` here, scaled as the graph says; nil in a plain flame graph.
        public var baseSelf: Int64?
        /// In a diff flame graph: the base profile's `total` here, scaled; nil in a plain flame graph.
        public var baseTotal: Int64?

        public init(
            name: String, self selfValue: Int64, total: Int64, file: String? = nil, line: Int64? = nil,
            mapping: String? = nil, inlined: Bool? = nil, children: [Node] = [], baseSelf: Int64? = nil,
            baseTotal: Int64? = nil
        ) {
            self.name = name
            self.`self` = selfValue
            self.total = total
            self.file = file
            self.line = line
            self.mapping = mapping
            self.inlined = inlined
            self.children = children
            self.baseSelf = baseSelf
            self.baseTotal = baseTotal
        }

        /// The JSON shape of the HTTP API; the base fields are left out of plain flame graphs.
        enum CodingKeys: String, CodingKey {
            case name, `self`, total, file, line, mapping, inlined, children
            case baseSelf = "base_self"
            case baseTotal = "base_total"
        }

        /// The order of siblings of equal size: by name, then by what else tells frames apart (file, binary, line,
        /// inlined), so that a flame graph's JSON is the same on every run whatever order the tree was built in.
        func isBeforeSibling(_ other: Node) -> Bool {
            if name != other.name { return name < other.name }
            if file != other.file { return (file ?? "") < (other.file ?? "") }
            if mapping != other.mapping { return (mapping ?? "") < (other.mapping ?? "") }
            if line != other.line { return (line ?? 0) < (other.line ?? 0) }
            if inlined != other.inlined { return inlined == nil }
            if total != other.total { return total > other.total }
            return self.`self` > other.`self`
        }

        /// This node and all below it.
        public var nodeCount: Int { 1 + children.reduce(0) { $0 + $1.nodeCount } }
    }

    /// The unit of the values (e.g. `nanoseconds`, `count`).
    public var unit: String
    /// The sample type the values come from (e.g. `cpu`).
    public var type: String
    /// Sum of all sample values; equals `root.total`.
    public var total: Int64
    /// The root, named `root`; its children are the outermost frames.
    public var root: Node
    /// In a diff flame graph: how the base was put on the new side's scale, nil otherwise.
    public var normalization: DiffNormalization?
    /// In a diff flame graph: the factor every base value was multiplied by (new total / base total when relative,
    /// 1 when absolute); nil otherwise.
    public var baseScale: Double?
    /// In a diff flame graph: the sum of the base's sample values before scaling; nil otherwise.
    public var baseUnscaledTotal: Int64?

    enum CodingKeys: String, CodingKey {
        case unit, type, total, root, normalization
        case baseScale = "base_scale"
        case baseUnscaledTotal = "base_unscaled_total"
    }

    /// Builds the call tree of one column of `profile`.
    ///
    /// - Parameters:
    ///   - sampleIndex: the ``Profile/sampleTypes`` column; by default as ``TopReport`` chooses. Out of range yields
    ///     an empty tree.
    ///   - maxNodes: the most nodes to keep, root included (at least 1).
    public init(_ profile: Profile, sampleIndex: Int? = nil, maxNodes: Int = 8192) {
        let index = sampleIndex ?? TopReport.defaultSampleIndex(of: profile)
        guard let index, profile.sampleTypes.indices.contains(index) else {
            self.init(unit: "", type: "", total: 0, root: Node(name: "root", self: 0, total: 0))
            return
        }
        var tree = CallTree()
        var frames = FrameCatalog(profile)
        var path: [Int] = []
        for sample in profile.samples where index < sample.values.count {
            let value = sample.values[index]
            guard value != 0 else { continue }
            path.removeAll(keepingCapacity: true)
            for id in sample.locationIDs.reversed() {
                path.append(contentsOf: frames.frames(ofLocation: id).reversed())
            }
            tree.add(path, value: value)
        }
        let kept = tree.largest(maxNodes)
        let type = profile.sampleTypes[index]
        self.init(unit: type.unit, type: type.type, total: tree.nodes[0].total, root: tree.node(0, kept: kept, frames: frames))
    }

    public init(unit: String, type: String, total: Int64, root: Node) {
        self.unit = unit
        self.type = type
        self.total = total
        self.root = root
    }
}

/// What makes two sibling frames one node.
struct FrameKey: Hashable {
    var name: String
    var file: String
    var mapping: String
    var line: Int64
    var inlined: Bool
}

/// The frames of each location, resolved once.
struct FrameCatalog {
    private let profile: Profile
    /// Distinct frames; a node refers to one by index.
    private(set) var keys: [FrameKey] = []
    private var index: [FrameKey: Int] = [:]
    private var cache: [UInt64: [Int]] = [:]
    private var namer: FrameNamer

    init(_ profile: Profile) {
        self.profile = profile
        namer = FrameNamer(profile)
    }

    /// Frame indexes of location `id`, innermost first (as its lines are).
    mutating func frames(ofLocation id: UInt64) -> [Int] {
        if let cached = cache[id] { return cached }
        let names = namer.names(ofLocation: id)
        let location = profile.location(id: id)
        let mapping = location.flatMap { profile.mapping(id: $0.mappingID) }.map(\.basename) ?? ""
        var result: [Int] = []
        for (position, name) in names.enumerated() {
            var key = FrameKey(name: name, file: "", mapping: mapping, line: 0, inlined: false)
            if let lines = location?.lines, position < lines.count {
                let function = profile.function(id: lines[position].functionID)
                key.file = function?.filename ?? ""
                key.line = function?.startLine ?? 0
                // Lines are innermost first; all but the last were inlined into the next one.
                key.inlined = position < lines.count - 1
            }
            if let existing = index[key] {
                result.append(existing)
            } else {
                index[key] = keys.count
                result.append(keys.count)
                keys.append(key)
            }
        }
        cache[id] = result
        return result
    }
}

/// The unpruned call tree, in flat arrays.
struct CallTree {
    struct Entry {
        var frame: Int
        var selfValue: Int64 = 0
        var total: Int64 = 0
        var children: [Int: Int] = [:]
    }

    /// Entry 0 is the root (frame -1).
    var nodes: [Entry] = [Entry(frame: -1)]

    /// Adds `value` along `path` (frame indexes, outermost first).
    mutating func add(_ path: [Int], value: Int64) {
        var current = 0
        nodes[0].total = nodes[0].total.saturatingAdd(value)
        for frame in path {
            let next: Int
            if let child = nodes[current].children[frame] {
                next = child
            } else {
                next = nodes.count
                nodes.append(Entry(frame: frame))
                nodes[current].children[frame] = next
            }
            nodes[next].total = nodes[next].total.saturatingAdd(value)
            current = next
        }
        nodes[current].selfValue = nodes[current].selfValue.saturatingAdd(value)
    }

    /// The `limit` nodes with the largest |total| that form a tree from the root (greedy from the root: a child is a
    /// candidate once its parent is kept).
    func largest(_ limit: Int) -> Set<Int> {
        var kept: Set<Int> = [0]
        guard limit > 1 else { return kept }
        guard nodes.count > limit else { return Set(nodes.indices) }
        var candidates = MaxHeap<Int64>()
        for child in nodes[0].children.values { candidates.push(nodes[child].total.saturatingMagnitude, child) }
        while kept.count < limit, let (_, node) = candidates.pop() {
            kept.insert(node)
            for child in nodes[node].children.values { candidates.push(nodes[child].total.saturatingMagnitude, child) }
        }
        return kept
    }

    /// Node `index` with its kept descendants; the totals of cut children go to `self`.
    func node(_ index: Int, kept: Set<Int>, frames: FrameCatalog) -> FlameGraph.Node {
        let entry = nodes[index]
        var selfValue = entry.selfValue
        var children: [FlameGraph.Node] = []
        for child in entry.children.values {
            if kept.contains(child) {
                children.append(node(child, kept: kept, frames: frames))
            } else {
                selfValue = selfValue.saturatingAdd(nodes[child].total)
            }
        }
        children.sort { a, b in
            let (ma, mb) = (a.total.saturatingMagnitude, b.total.saturatingMagnitude)
            return ma != mb ? ma > mb : a.isBeforeSibling(b)
        }
        guard entry.frame >= 0 else {
            return FlameGraph.Node(name: "root", self: selfValue, total: entry.total, children: children)
        }
        let key = frames.keys[entry.frame]
        return FlameGraph.Node(
            name: key.name, self: selfValue, total: entry.total, file: key.file.isEmpty ? nil : key.file,
            line: key.line > 0 ? key.line : nil, mapping: key.mapping.isEmpty ? nil : key.mapping,
            inlined: key.inlined ? true : nil, children: children)
    }
}

/// A binary max-heap of (priority, value) pairs; ties pop the smaller value first, so results are deterministic.
struct MaxHeap<Priority: Comparable> {
    private var items: [(Priority, Int)] = []

    private func before(_ a: (Priority, Int), _ b: (Priority, Int)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : a.1 < b.1
    }

    mutating func push(_ priority: Priority, _ value: Int) {
        items.append((priority, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Priority, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return top }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var best = parent
            if left < items.count, before(items[left], items[best]) { best = left }
            if right < items.count, before(items[right], items[best]) { best = right }
            guard best != parent else { break }
            items.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
