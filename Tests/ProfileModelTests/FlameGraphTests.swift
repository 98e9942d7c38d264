import Foundation
import ProfileModel
import Testing

@Suite struct FlameGraphTests {
    typealias Node = FlameGraph.Node

    func child(_ node: Node, _ name: String) -> Node? {
        node.children.first { $0.name == name }
    }

    /// Every node's self plus its children's totals is its total; returns the node count.
    @discardableResult
    func checkExact(_ node: Node) -> Int {
        #expect(node.children.reduce(node.`self`) { $0 + $1.total } == node.total, "\(node.name)")
        return 1 + node.children.reduce(0) { $0 + checkExact($1) }
    }

    @Test func callTreeOfFixture() throws {
        let graph = FlameGraph(Fixtures.small(), sampleIndex: 0)
        #expect(graph.unit == "count" && graph.type == "samples")
        #expect(graph.total == 74 && graph.root.total == 74 && graph.root.`self` == 0)
        #expect(graph.root.children.map(\.name) == ["main", "worker_thread"], "largest first")

        let main = try #require(child(graph.root, "main"))
        #expect(main.total == 60 && main.`self` == 0)
        #expect(main.file == "app/main.c" && main.line == 10 && main.mapping == "app" && main.inlined == nil)
        let loop = try #require(child(main, "run_loop"))
        #expect(loop.children.map(\.name) == ["compute", "libc.so.6+0x2d678"])
        // compute, reached directly and as the caller of an inlined hash_step, is one node.
        let compute = try #require(child(loop, "compute"))
        #expect(compute.total == 55 && compute.`self` == 10)
        let hash = try #require(child(compute, "hash_step"))
        #expect(hash.total == 33 && hash.`self` == 33 && hash.inlined == true && hash.file == "app/hash.h")
        let memcpy = try #require(child(compute, "memcpy"))
        #expect(memcpy.mapping == "libc.so.6" && memcpy.file == nil && memcpy.line == nil)

        // Recursion nests.
        let worker = try #require(child(graph.root, "worker_thread"))
        let fib1 = try #require(child(worker, "fib"))
        let fib2 = try #require(child(fib1, "fib"))
        let fib3 = try #require(child(fib2, "fib"))
        #expect((fib1.total, fib1.`self`, fib2.total, fib3.`self`) == (12, 4, 8, 8))
        #expect(child(worker, "0xffffffff81000000")?.total == 2)
        #expect(checkExact(graph.root) == graph.root.nodeCount)
    }

    @Test func defaultColumnAndOutOfRange() {
        let profile = Fixtures.small()
        let cpu = FlameGraph(profile)
        #expect(cpu.type == "cpu" && cpu.unit == "nanoseconds" && cpu.total == 74 * 10_101_010)
        let none = FlameGraph(profile, sampleIndex: 5)
        #expect(none.total == 0 && none.root.children.isEmpty)
    }

    @Test func pruningFoldsCutNodesIntoTheirParents() throws {
        let graph = FlameGraph(Fixtures.small(), sampleIndex: 0, maxNodes: 3)
        #expect(graph.root.nodeCount == 3)
        #expect(graph.total == 74 && graph.root.total == 74)
        #expect(graph.root.`self` == 14, "worker_thread's 14 fold into the root")
        let pmain = try #require(child(graph.root, "main"))
        let loop = try #require(child(pmain, "run_loop"))
        #expect(loop.children.isEmpty && loop.`self` == 60)
        checkExact(graph.root)
        #expect(FlameGraph(Fixtures.small(), sampleIndex: 0, maxNodes: 1).root == Node(name: "root", self: 74, total: 74))
    }

    @Test func randomProfilesStayExactAtEverySize() {
        var rng = SeededGenerator(seed: 7)
        for round in 0..<40 {
            var builder = ProfileBuilder(
                sampleTypes: [ValueType(type: "samples", unit: "count")], periodType: nil, period: 0, timeNanos: 0,
                durationNanos: 0)
            let functions = (0..<12).map { builder.function(name: "f\($0)", systemName: "", filename: "") }
            let locations = functions.map { builder.location(mappingID: 0, address: 0, lines: [Line(functionID: $0, line: 0)]) }
            var total: Int64 = 0
            for _ in 0..<Int.random(in: 1...60, using: &rng) {
                let depth = Int.random(in: 1...10, using: &rng)
                let stack = (0..<depth).map { _ in locations.randomElement(using: &rng)! }
                let value = Int64.random(in: 1...100, using: &rng)
                total += value
                builder.addSample(locationIDs: stack, values: [value], labels: [])
            }
            let profile = builder.build()
            let full = FlameGraph(profile, maxNodes: .max)
            for limit in [1, 2, 5, 17, 100, .max] {
                let graph = FlameGraph(profile, maxNodes: limit)
                #expect(graph.total == total && graph.root.total == total, "round \(round)")
                let count = checkExact(graph.root)
                #expect(count == min(limit, full.root.nodeCount), "round \(round), limit \(limit)")
            }
        }
    }

    @Test func encodesAsTheAPIDescribesIt() throws {
        let graph = FlameGraph(Fixtures.small(), sampleIndex: 0, maxNodes: 4)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(graph)) as! [String: Any]
        #expect(json["unit"] as? String == "count" && json["total"] as? Int == 74)
        let root = json["root"] as! [String: Any]
        #expect(root["self"] as? Int == 14 && root["total"] as? Int == 74 && root["name"] as? String == "root")
        let main = (root["children"] as! [[String: Any]])[0]
        #expect(main["file"] as? String == "app/main.c" && main["line"] as? Int == 10 && main["mapping"] as? String == "app")
        #expect(main["inlined"] == nil, "absent fields are left out")
        #expect(try JSONDecoder().decode(FlameGraph.self, from: JSONEncoder().encode(graph)) == graph)
    }

    /// Siblings of equal name and total (`work` in two binaries, and in two files of one binary) come out in one
    /// order however the samples were ordered.
    @Test func equalSiblingsHaveOneOrder() throws {
        func profile(reversed: Bool) -> Profile {
            let mappings = [
                Mapping(id: 1, start: 0x1000, limit: 0x2000, offset: 0, file: "/usr/bin/b"),
                Mapping(id: 2, start: 0x3000, limit: 0x4000, offset: 0, file: "/usr/bin/a"),
            ]
            let functions = [
                Function(id: 1, name: "work", filename: "z.c"), Function(id: 2, name: "work", filename: "y.c"),
                Function(id: 3, name: "main", filename: "main.c"),
            ]
            let locations = [
                Location(id: 1, mappingID: 1, address: 0x1100, lines: [Line(functionID: 1, line: 1)]),
                Location(id: 2, mappingID: 2, address: 0x3100, lines: [Line(functionID: 1, line: 1)]),
                Location(id: 3, mappingID: 2, address: 0x3200, lines: [Line(functionID: 2, line: 1)]),
                Location(id: 4, mappingID: 2, address: 0x3300, lines: [Line(functionID: 3, line: 1)]),
            ]
            var samples = (1...3).map { Sample(locationIDs: [UInt64($0), 4], values: [5]) }
            if reversed { samples.reverse() }
            return Profile(
                sampleTypes: [ValueType(type: "samples", unit: "count")], samples: samples, mappings: mappings,
                locations: locations, functions: functions)
        }
        let graphs = [false, true].map { FlameGraph(profile(reversed: $0)) }
        #expect(graphs[0] == graphs[1])
        let works = graphs[0].root.children.first?.children ?? []
        #expect(works.map { "\($0.mapping ?? "?") \($0.file ?? "?")" } == ["a y.c", "a z.c", "b z.c"])
    }
}
