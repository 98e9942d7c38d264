extension FlameGraph {
    /// The diff flame graph of `new` against `base`: one call tree holding both profiles, each node with the new
    /// profile's values (``Node/self``, ``Node/total``) and the base's (``Node/baseSelf``, ``Node/baseTotal``).
    ///
    /// This is the one diff tree of Scorch: `scorch diff --format json` prints it and the HTTP API serves it for its
    /// base range parameters, so the CLI and the UI never disagree.
    ///
    /// - Frames merge across the sides as siblings do in ``init(_:sampleIndex:maxNodes:)`` (same name, file and
    ///   mapping); a frame on one side only has zeros on the other.
    /// - ``DiffNormalization/relative`` (default) scales the base to the new side's total: every base value is
    ///   multiplied by ``baseScale`` and rounded so that sums stay exact (largest remainder, top-down), so
    ///   `root.baseTotal == root.total` and widths compare directly. ``DiffNormalization/absolute`` keeps raw values.
    /// - Pruning to `maxNodes` keeps the nodes with the largest total on either side (so a function that vanished
    ///   stays visible); a cut child's totals go to its parent's `self` and `baseSelf`. For both sides, `self` plus
    ///   the children's totals equals `total` at every node.
    ///
    /// - Throws: ``ProfileError`` as ``DiffTopReport/init(base:new:options:)-(Profile,Profile,DiffOptions)`` does:
    ///   incompatible sample types or periods, or a side without samples.
    public init(
        diffOf new: Profile, base: Profile, sampleIndex: Int? = nil, normalization: DiffNormalization = .relative,
        maxNodes: Int = 8192
    ) throws(ProfileError) {
        let inputs = try DiffInputs(base: base, new: new, sampleIndex: sampleIndex)
        var tree = DiffCallTree()
        var frames = SharedFrames()
        for (side, profile) in [(DiffCallTree.Side.new, new), (.base, base)] {
            var catalog = FrameCatalog(profile)
            var path: [Int] = []
            for sample in profile.samples where inputs.column < sample.values.count {
                let value = sample.values[inputs.column]
                guard value != 0 else { continue }
                path.removeAll(keepingCapacity: true)
                for id in sample.locationIDs.reversed() {
                    for local in catalog.frames(ofLocation: id).reversed() {
                        path.append(frames.index(of: catalog.keys[local]))
                    }
                }
                tree.add(path, value: value, side: side)
            }
        }
        let newTotal = tree.nodes[0].newTotal
        let baseTotal = tree.nodes[0].baseTotal
        var scale = 1.0
        if normalization == .relative && newTotal != 0 && baseTotal != 0 {
            scale = Double(newTotal) / Double(baseTotal)
            tree.scaleBase(to: newTotal)
        }
        let kept = tree.largest(maxNodes)
        let type = new.sampleTypes[inputs.column]
        self.init(unit: type.unit, type: type.type, total: newTotal, root: tree.node(0, kept: kept, frames: frames))
        self.normalization = normalization
        self.baseScale = scale
        self.baseUnscaledTotal = baseTotal
    }
}

/// Frame keys of both profiles in one index space.
struct SharedFrames {
    private(set) var keys: [FrameKey] = []
    private var positions: [FrameKey: Int] = [:]

    mutating func index(of key: FrameKey) -> Int {
        if let index = positions[key] { return index }
        positions[key] = keys.count
        keys.append(key)
        return keys.count - 1
    }
}

/// The unpruned call tree of both sides of a diff, in flat arrays (as ``CallTree`` is for one profile).
struct DiffCallTree {
    enum Side { case base, new }

    struct Entry {
        var frame: Int
        var newSelf: Int64 = 0
        var newTotal: Int64 = 0
        var baseSelf: Int64 = 0
        var baseTotal: Int64 = 0
        var children: [Int: Int] = [:]
    }

    /// Entry 0 is the root (frame -1).
    var nodes: [Entry] = [Entry(frame: -1)]

    /// Adds `value` to `side` along `path` (frame indexes, outermost first).
    mutating func add(_ path: [Int], value: Int64, side: Side) {
        var current = 0
        addTotal(value, to: 0, side: side)
        for frame in path {
            let next: Int
            if let child = nodes[current].children[frame] {
                next = child
            } else {
                next = nodes.count
                nodes.append(Entry(frame: frame))
                nodes[current].children[frame] = next
            }
            addTotal(value, to: next, side: side)
            current = next
        }
        switch side {
        case .new: nodes[current].newSelf = nodes[current].newSelf.saturatingAdd(value)
        case .base: nodes[current].baseSelf = nodes[current].baseSelf.saturatingAdd(value)
        }
    }

    private mutating func addTotal(_ value: Int64, to index: Int, side: Side) {
        switch side {
        case .new: nodes[index].newTotal = nodes[index].newTotal.saturatingAdd(value)
        case .base: nodes[index].baseTotal = nodes[index].baseTotal.saturatingAdd(value)
        }
    }

    /// Scales the base values so the root's base total becomes `target`, top-down: each node's scaled total is split
    /// between its `self` and its children in proportion to their unscaled values, with ``Apportion`` rounding, so
    /// every node stays exactly the sum of its parts.
    mutating func scaleBase(to target: Int64) {
        nodes[0].baseTotal = target
        var pending = [0]
        while let index = pending.popLast() {
            let children = Array(nodes[index].children.values).sorted()
            let parts = [nodes[index].baseSelf] + children.map { nodes[$0].baseTotal }
            let scaled = Apportion.scale(parts, to: nodes[index].baseTotal)
            nodes[index].baseSelf = scaled[0]
            for (child, total) in zip(children, scaled.dropFirst()) {
                nodes[child].baseTotal = total
                pending.append(child)
            }
        }
    }

    /// The `limit` nodes with the largest total on either side that form a tree from the root.
    func largest(_ limit: Int) -> Set<Int> {
        var kept: Set<Int> = [0]
        guard limit > 1 else { return kept }
        guard nodes.count > limit else { return Set(nodes.indices) }
        var candidates = MaxHeap<Int64>()
        func push(_ node: Int) {
            candidates.push(
                max(nodes[node].newTotal.saturatingMagnitude, nodes[node].baseTotal.saturatingMagnitude), node)
        }
        for child in nodes[0].children.values { push(child) }
        while kept.count < limit, let (_, node) = candidates.pop() {
            kept.insert(node)
            for child in nodes[node].children.values { push(child) }
        }
        return kept
    }

    /// Node `index` with its kept descendants; the totals of cut children go to `self` and `baseSelf`.
    func node(_ index: Int, kept: Set<Int>, frames: SharedFrames) -> FlameGraph.Node {
        let entry = nodes[index]
        var newSelf = entry.newSelf
        var baseSelf = entry.baseSelf
        var children: [FlameGraph.Node] = []
        for child in entry.children.values {
            if kept.contains(child) {
                children.append(node(child, kept: kept, frames: frames))
            } else {
                newSelf = newSelf.saturatingAdd(nodes[child].newTotal)
                baseSelf = baseSelf.saturatingAdd(nodes[child].baseTotal)
            }
        }
        children.sort { a, b in
            let ma = max(a.total.saturatingMagnitude, (a.baseTotal ?? 0).saturatingMagnitude)
            let mb = max(b.total.saturatingMagnitude, (b.baseTotal ?? 0).saturatingMagnitude)
            return ma != mb ? ma > mb : a.isBeforeSibling(b)
        }
        guard entry.frame >= 0 else {
            return FlameGraph.Node(
                name: "root", self: newSelf, total: entry.newTotal, children: children, baseSelf: baseSelf,
                baseTotal: entry.baseTotal)
        }
        let key = frames.keys[entry.frame]
        return FlameGraph.Node(
            name: key.name, self: newSelf, total: entry.newTotal, file: key.file.isEmpty ? nil : key.file,
            line: key.line > 0 ? key.line : nil, mapping: key.mapping.isEmpty ? nil : key.mapping,
            inlined: key.inlined ? true : nil, children: children, baseSelf: baseSelf, baseTotal: entry.baseTotal)
    }
}
