import Dispatch
import Synchronization

/// Runs the store work of requests (reading and merging blocks, building and encoding trees) off the Swift
/// concurrency pool, a few at a time, each within a time limit.
///
/// Store queries are synchronous and CPU-bound; on the cooperative pool (one thread per core) two of them would stall
/// every other request, the agent's included. Here at most `concurrency` run at once on threads of their own, at most
/// `maxQueued` run or wait, and a request whose work has not finished within `timeLimit` (waiting included) gets a
/// 503 while the work finishes in the background (a store query cannot be interrupted) or, if it had not started,
/// never starts.
final class QueryRunner: Sendable {
    let timeLimit: Duration
    let maxQueued: Int
    private let queue = DispatchQueue(label: "scorch.server.queries", attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let inFlight = Atomic<Int>(0)

    init(concurrency: Int, maxQueued: Int, timeLimit: Duration) {
        self.timeLimit = timeLimit
        self.maxQueued = max(1, maxQueued)
        slots = DispatchSemaphore(value: max(1, concurrency))
    }

    /// The result of `work`, run on a query thread.
    ///
    /// - Throws: ``APIError`` 503 when too many queries are under way or `work` took longer than the time limit;
    ///   otherwise what `work` throws.
    func run<T: Sendable>(_ what: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let (_, admitted) = inFlight.add(1, ordering: .relaxed)
        guard admitted <= maxQueued else {
            inFlight.subtract(1, ordering: .relaxed)
            throw Self.unavailable("the server is busy with \(maxQueued) queries; retry in a moment")
        }
        let outcome = Outcome<T>()
        let limit = timeLimit
        let deadline = ContinuousClock.now.advanced(by: limit)
        let timedOut = Self.unavailable(
            "\(what) took longer than the server's limit of \(limit.formatted); narrow the time range or the selector")
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            outcome.set(continuation)
            queue.async { [self] in
                defer { inFlight.subtract(1, ordering: .relaxed) }
                slots.wait()
                defer { slots.signal() }
                // Work that waited in line past its deadline is not started at all.
                guard !outcome.isFinished, ContinuousClock.now < deadline else {
                    outcome.finish(.failure(timedOut))
                    return
                }
                outcome.finish(Result { try work() })
            }
            let (seconds, attoseconds) = limit.components
            let nanoseconds = Int(min(seconds, 86_400)) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                outcome.finish(.failure(timedOut))
            }
        }
    }

    static func unavailable(_ message: String) -> APIError {
        var error = APIError(.serviceUnavailable, message)
        error.headers[.retryAfter] = "5"
        return error
    }
}

/// Resumes a continuation once: with the work's result or the time limit's error, whichever comes first.
private final class Outcome<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, finished: Bool)>((nil, false))

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    func finish(_ result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}

extension Duration {
    /// `30 s`, `250 ms`.
    var formatted: String {
        let (seconds, attoseconds) = components
        if seconds >= 1 && attoseconds == 0 { return "\(seconds) s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}
