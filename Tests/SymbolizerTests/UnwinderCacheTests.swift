import Foundation
import Logging
import Symbolizer
import Testing

/// The per-process cache: statistics, least-recently-used eviction, forgetting, and rebuilding on new maps.
@Suite struct UnwinderCacheTests {
    @Test func statisticsCountOutcomesAndEvictions() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest, maximumProcesses: 2)
        #expect(unwinder.statistics == UnwinderStatistics())

        for pid: Int32 in [1, 2, 3] {
            #expect(snapshot.unwind(with: unwinder, pid: pid).outcome == .complete)
        }
        var statistics = unwinder.statistics
        #expect(statistics.unwinds == 3)
        #expect(statistics.complete == 3)
        #expect(statistics.truncatedByReason.isEmpty)
        #expect(statistics.cachedProcesses == 2)
        #expect(statistics.evictions == 1)
        #expect(statistics.approximateMemoryBytes > 2 * 10 * 1024)

        // Least recently used goes first: touch 2, add 4 (evicts 3), then 2 is still cached.
        _ = snapshot.unwind(with: unwinder, pid: 2)
        _ = snapshot.unwind(with: unwinder, pid: 4, stackLimit: 64)
        #expect(unwinder.statistics.evictions == 2)
        _ = snapshot.unwind(with: unwinder, pid: 2)
        statistics = unwinder.statistics
        #expect(statistics.evictions == 2)
        #expect(statistics.unwinds == 6)
        #expect(statistics.complete == 5)
        #expect(statistics.truncatedByReason == [.snapshotEnd: 1])
        #expect(statistics.truncated == 1)

        unwinder.forget(pid: 2)
        #expect(unwinder.statistics.cachedProcesses == 1)
        unwinder.forget(pid: 4)
        unwinder.forget(pid: 12345)
        statistics = unwinder.statistics
        #expect(statistics.cachedProcesses == 0)
        #expect(statistics.approximateMemoryBytes == 0)
        #expect(statistics.evictions == 2)
    }

    @Test func changedMapsRebuildTheProcessState() throws {
        let snapshot = try UnwinderSnapshot.capture(try UnwinderFixtures.get().withDebugInfo, ["chain"])
        let unwinder = StackUnwinder(logger: .unwinderTest)
        let full = snapshot.unwind(with: unwinder)
        #expect(full.outcome == .complete)

        // The same maps parsed again, and maps that differ only outside executable files: same modules.
        let reparsed = try ProcessMaps(pid: snapshot.pid, mapsText: snapshot.mapsText)
        let heapless = try ProcessMaps(
            pid: snapshot.pid,
            mapsText: snapshot.mapsText.split(separator: "\n").filter { !$0.contains("[heap]") }.joined(
                separator: "\n"))
        #expect(snapshot.unwind(with: unwinder, maps: reparsed) == full)
        #expect(snapshot.unwind(with: unwinder, maps: heapless) == full)
        #expect(unwinder.statistics.rebuilds == 0)

        // libc unmapped (as after dlclose): the walk stops at the first return into it.
        let withoutLibc = try ProcessMaps(
            pid: snapshot.pid,
            mapsText: snapshot.mapsText.split(separator: "\n").filter { !$0.contains("/libc.so") }.joined(
                separator: "\n"))
        let stopped = snapshot.unwind(with: unwinder, maps: withoutLibc)
        #expect(stopped.outcome == .truncated(.noUnwindInfo))
        #expect(unwinder.statistics.rebuilds == 1)

        #expect(snapshot.unwind(with: unwinder) == full)
        #expect(unwinder.statistics.rebuilds == 2)
        #expect(unwinder.statistics.cachedProcesses == 1)
    }
}
