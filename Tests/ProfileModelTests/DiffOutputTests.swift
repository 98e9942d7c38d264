import Foundation
import ProfileModel
import Testing

/// The diff flame graph, diff-folded lines and the pprof diff profile on constructed profiles.
@Suite struct DiffOutputTests {
    typealias Node = FlameGraph.Node

    func child(_ node: Node, _ name: String) -> Node? { node.children.first { $0.name == name } }

    /// The node at `names` below `node`.
    func descend(_ node: Node, _ names: String...) throws -> Node {
        var current = node
        for name in names {
            current = try #require(child(current, name), "\(name) below \(current.name)")
        }
        return current
    }

    /// Both sides are exact at every node: self plus the children's totals is the total. Returns the node count.
    @discardableResult
    func checkExact(_ node: Node) -> Int {
        #expect(node.children.reduce(node.`self`) { $0 + $1.total } == node.total, "new side at \(node.name)")
        let baseChildren = node.children.reduce(node.baseSelf ?? -1) { $0 + ($1.baseTotal ?? 0) }
        #expect(baseChildren == node.baseTotal, "base side at \(node.name)")
        return 1 + node.children.reduce(0) { $0 + checkExact($1) }
    }

    let base = StackProfiles.cpu(["main;work;hot_a": 750, "main;work;hot_b": 249, "main;gone": 1])
    let new = StackProfiles.cpu(["main;work;hot_a": 500, "main;work;hot_b": 499, "main;work;hot_b;fresh": 1])

    @Test func diffFlameGraphScalesTheBaseToTheNewTotal() throws {
        // Base: 1000 samples, new: 1000 samples of the samples column; scale 1.
        let same = try FlameGraph(diffOf: new, base: base, sampleIndex: 0)
        #expect(same.total == 1000 && same.root.total == 1000 && same.root.baseTotal == 1000 && same.baseScale == 1)
        let work = try descend(same.root, "main", "work")
        let hotB = try #require(child(work, "hot_b"))
        #expect((hotB.total, hotB.`self`, hotB.baseTotal, hotB.baseSelf) == (500, 499, 249, 249))
        #expect(child(hotB, "fresh").map { ($0.total, $0.baseTotal) } ?? (0, nil) == (1, 0), "new-only node")
        let gone = try descend(same.root, "main", "gone")
        #expect(gone.total == 0 && gone.baseTotal == 1, "base-only node stays, with zero on the new side")
        checkExact(same.root)

        // A new side twice as long: the base is scaled ×2 so widths compare.
        let longer = StackProfiles.cpu(["main;work;hot_a": 1000, "main;work;hot_b": 1000])
        let scaled = try FlameGraph(diffOf: longer, base: base, sampleIndex: 0)
        #expect(scaled.baseScale == 2 && scaled.baseUnscaledTotal == 1000 && scaled.normalization == .relative)
        #expect(scaled.root.baseTotal == 2000)
        let scaledWork = try descend(scaled.root, "main", "work")
        #expect(child(scaledWork, "hot_a")?.baseTotal == 1500 && child(scaledWork, "hot_b")?.baseTotal == 498)
        checkExact(scaled.root)

        let absolute = try FlameGraph(diffOf: longer, base: base, sampleIndex: 0, normalization: .absolute)
        #expect(absolute.root.baseTotal == 1000 && absolute.baseScale == 1)
        checkExact(absolute.root)
    }

    @Test func diffFlameGraphRoundsWithoutBreakingSums() throws {
        // 3 : 7 scaled to 1000 / 3: fractions everywhere, sums still exact.
        let odd = StackProfiles.cpu(["main;a": 1, "main;b": 1, "main;c;d": 1, "x": 7])
        let graph = try FlameGraph(diffOf: StackProfiles.cpu(["main;a": 333, "y": 1]), base: odd, sampleIndex: 0)
        #expect(graph.root.baseTotal == 334)
        checkExact(graph.root)
    }

    @Test func pruningKeepsTheBiggestOnEitherSideAndExactTotals() throws {
        let graph = try FlameGraph(diffOf: new, base: base, sampleIndex: 0, maxNodes: 4)
        #expect(graph.root.nodeCount == 4)
        let work = try descend(graph.root, "main", "work")
        #expect(work.children.map(\.name) == ["hot_a"], "hot_a is the biggest on either side")
        #expect(work.`self` == 500 && work.baseSelf == 249, "hot_b's totals fold into work")
        checkExact(graph.root)
    }

    @Test func jsonHasBaseFieldsOnlyInDiffs() throws {
        let diff = try FlameGraph(diffOf: new, base: base, sampleIndex: 0)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(diff)) as! [String: Any]
        let root = json["root"] as! [String: Any]
        #expect(root["base_total"] as? Int == 1000 && root["base_self"] as? Int == 0 && root["total"] as? Int == 1000)
        #expect(json["base_scale"] as? Double == 1 && json["normalization"] as? String == "relative")
        #expect(try JSONDecoder().decode(FlameGraph.self, from: JSONEncoder().encode(diff)) == diff)

        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(FlameGraph(new, sampleIndex: 0)))
            as! [String: Any]
        #expect(Set(plain.keys) == ["unit", "type", "total", "root"], "plain flame graphs keep their shape")
        #expect(Set((plain["root"] as! [String: Any]).keys) == ["name", "self", "total", "children"])
    }

    @Test func diffFoldedLines() {
        let longer = StackProfiles.cpu(["main;work;hot_a": 1000, "main;work;hot_b": 1000])
        #expect(
            FoldedStacks.renderDiff(base: base, new: longer, valueIndex: 0) == """
                app;main;gone 2 0
                app;main;work;hot_a 1500 1000
                app;main;work;hot_b 498 1000

                """)
        #expect(
            FoldedStacks.renderDiff(base: base, new: longer, valueIndex: 0, normalization: .absolute) == """
                app;main;gone 1 0
                app;main;work;hot_a 750 1000
                app;main;work;hot_b 249 1000

                """)
    }

    @Test func pprofDiffBaseNegatesAndLabelsTheBase() throws {
        let diff = try Profile.diffBase(base: base, new: new, normalization: .absolute)
        try diff.validate()
        let marked = diff.samples.filter { $0.labels.contains(.string(Profile.diffBaseLabel, "true")) }
        #expect(marked.count == 3 && marked.allSatisfy { $0.values.allSatisfy { $0 < 0 } })
        #expect(diff.durationNanos == 2_000_000_000, "durations add up, as pprof's merge does")
        let top = TopReport(diff, sampleIndex: 0)
        #expect(top.total == 1000, "percentages are of the base, as in pprof")
        #expect(top.rows.first { $0.name == "hot_b" }?.flat == 250)
        #expect(top.rows.first { $0.name == "hot_a" }?.flat == -250)
        #expect(top.rows.first { $0.name == "gone" }?.flat == -1)
        #expect(try Profile(pprof: diff.pprofData()) == diff, "round-trips through pprof")

        // Relative: pprof's -normalize scales the new side to the base's total.
        let longer = StackProfiles.cpu(["main;work;hot_a": 1000, "main;work;hot_b": 1000])
        let normalized = try Profile.diffBase(base: base, new: longer)
        let rows = TopReport(normalized, sampleIndex: 0).rows
        #expect(rows.first { $0.name == "hot_a" }?.flat == -250 && rows.first { $0.name == "hot_b" }?.flat == 251)
    }
}
