import Dispatch
import Foundation
import Glibc
import Synchronization

/// Runs the store work of requests (reading and merging blocks, building and encoding trees) on threads of its own,
/// a few at a time, each within a time limit.
///
/// Store queries are synchronous and CPU-bound; on the cooperative pool (one thread per core) two of them would stall
/// every other request. Here at most `concurrency` run at once on the runner's threads, which run at a lower
/// priority (10 nice levels below the process) so that, inside the agent, a heavy query yields the CPU to sampling and symbolizing. At most
/// `maxQueued` run or wait; a request whose work has not finished within `timeLimit` (waiting included) gets a 503
/// while the work finishes in the background (a store query cannot be interrupted) or, if it had not started, never
/// starts.
final class QueryRunner: Sendable {
    let timeLimit: Duration
    let maxQueued: Int
    private let pool: WorkerPool
    private let inFlight = Atomic<Int>(0)

    init(concurrency: Int, maxQueued: Int, timeLimit: Duration) {
        self.timeLimit = timeLimit
        self.maxQueued = max(1, maxQueued)
        pool = WorkerPool(threads: max(1, concurrency), niceness: 10)
    }

    deinit {
        pool.stop()
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
            pool.submit { [self] in
                // Work that waited in line past its deadline is not started at all.
                let result: Result<T, any Error> =
                    !outcome.isFinished && ContinuousClock.now < deadline ? Result { try work() } : .failure(timedOut)
                // Counted out before the caller resumes, so a request that follows finds the room.
                inFlight.subtract(1, ordering: .relaxed)
                outcome.finish(result)
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

/// A fixed set of threads that run submitted jobs in order; they exit after ``stop()``.
private final class WorkerPool: Sendable {
    private let jobs = Mutex<(queue: [@Sendable () -> Void], stopping: Bool)>(([], false))
    private let available = DispatchSemaphore(value: 0)
    private let threads: Int

    init(threads: Int, niceness: Int32) {
        self.threads = threads
        for index in 0..<threads {
            let thread = Thread { [self] in
                // On Linux the nice value belongs to the thread, and `who` 0 is the calling thread; lowering one's
                // own priority needs no privilege.
                let which = __priority_which_t(PRIO_PROCESS.rawValue)
                _ = setpriority(which, 0, min(19, getpriority(which, 0) + niceness))
                Self.nameCallingThread("scorch-query-\(index)")
                while let job = next() { job() }
            }
            thread.start()
        }
    }

    /// Names the calling thread for `top -H` (Glibc's pthread_setname_np is not visible to Swift).
    private static func nameCallingThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        _ = name.withCString { write(file, $0, min(15, strlen($0))) }
        close(file)
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.queue.append(job) }
        available.signal()
    }

    /// The next job, waiting for one; nil once stopping and the queue is empty.
    private func next() -> (@Sendable () -> Void)? {
        while true {
            available.wait()
            let job = jobs.withLock { state -> (@Sendable () -> Void)?? in
                if !state.queue.isEmpty { return .some(state.queue.removeFirst()) }
                return state.stopping ? .some(nil) : nil
            }
            if let job { return job }
        }
    }

    func stop() {
        jobs.withLock { $0.stopping = true }
        for _ in 0..<threads { available.signal() }
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
