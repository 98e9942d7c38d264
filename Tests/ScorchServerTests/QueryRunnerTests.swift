import Dispatch
import Glibc
import Synchronization
import Testing

@testable import ScorchServer

/// The threads that run queries: bounded, in line, at a lower priority than the agent's own threads.
@Suite struct QueryRunnerTests {
    @Test func queriesBeyondTheQueueAre503AtOnce() async throws {
        let runner = QueryRunner(concurrency: 1, maxQueued: 1, timeLimit: .seconds(30))
        let release = DispatchSemaphore(value: 0)
        let started = Atomic<Bool>(false)
        async let first = runner.run("the first") {
            started.store(true, ordering: .releasing)
            release.wait()
            return 1
        }
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: APIError.self) { try await runner.run("the second") { 2 } }
        do {
            _ = try await runner.run("the second") { 2 }
        } catch let error as APIError {
            #expect(error.status == .serviceUnavailable && error.message.contains("busy"))
        }
        release.signal()
        let firstResult = try await first
        #expect(firstResult == 1)
        // Once the first is done there is room again.
        let third = try await runner.run("the third") { 3 }
        #expect(third == 3)
    }

    @Test func queriesRunNiced() async throws {
        let runner = QueryRunner(concurrency: 2, maxQueued: 4, timeLimit: .seconds(30))
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let niceness = try await runner.run("nice") { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
        #expect(niceness == min(19, own + 10))
    }

    @Test func errorsOfTheWorkPassThrough() async throws {
        struct Failure: Error, Equatable {}
        let runner = QueryRunner(concurrency: 1, maxQueued: 1, timeLimit: .seconds(30))
        await #expect(throws: Failure.self) { try await runner.run("failing") { () throws -> Int in throw Failure() } }
        let value = try await runner.run("after") { 7 }
        #expect(value == 7)
    }
}
