import Testing

@testable import ProfileModel

@Suite struct ProfileLookupTests {
    @Test func denseIDsResolve() {
        let p = Fixtures.small()
        for location in p.locations { #expect(p.location(id: location.id) == location) }
        for function in p.functions { #expect(p.function(id: function.id) == function) }
        for mapping in p.mappings { #expect(p.mapping(id: mapping.id) == mapping) }
        #expect(p.location(id: 0) == nil)
        #expect(p.location(id: 999) == nil)
        #expect(p.function(id: .max) == nil)
    }

    @Test func sparseIDsResolve() {
        let p = Profile(
            sampleTypes: [ValueType(type: "samples", unit: "count")],
            functions: [Function(id: 40, name: "a"), Function(id: 7, name: "b"), Function(id: 7, name: "dup")])
        #expect(p.function(id: 40)?.name == "a")
        #expect(p.function(id: 7)?.name == "b", "the first of duplicated ids wins")
        #expect(p.function(id: 1) == nil)
    }

    @Test func mutationInvalidatesTheIndex() {
        var p = Fixtures.small()
        #expect(p.function(id: 1)?.name == "main")
        let copy = p
        p.functions.reverse()
        #expect(p.function(id: 1)?.name == "main")
        p.functions[p.functions.count - 1].name = "renamed"
        #expect(p.function(id: 1)?.name == "renamed")
        p.functions.append(Function(id: 1000, name: "new"))
        #expect(p.function(id: 1000)?.name == "new")
        #expect(copy.function(id: 1)?.name == "main", "copies keep their own index")
        #expect(copy.function(id: 1000) == nil)
    }

    @Test func indexKinds() {
        #expect(IDIndex(ids: [1, 2, 3]).position(of: 3) == 2)
        #expect(IDIndex(ids: []).position(of: 1) == nil)
        if case .dense(let count) = IDIndex(ids: [1, 2, 3]) { #expect(count == 3) } else { Issue.record("not dense") }
        if case .sparse = IDIndex(ids: [2, 1]) {} else { Issue.record("not sparse") }
        #expect(IDIndex(ids: [2, 1]).position(of: 1) == 1)
    }

    @Test func concurrentLookupsOnSharedCopies() async {
        let p = Fixtures.small()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { p.locations.allSatisfy { p.location(id: $0.id) == $0 } }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
