import Foundation
import Synchronization

/// Runs a closure on its own thread, so a test can poll the store meanwhile without depending on the width of the
/// cooperative thread pool (two threads on a two-core machine: a polling test and a `Task` could starve each other).
final class BackgroundThread: Sendable {
    private let state = Mutex<(done: Bool, error: (any Error)?)>((false, nil))
    private let finished = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            var failure: (any Error)?
            do { try body() } catch { failure = error }
            state.withLock { $0 = (true, failure) }
            finished.signal()
        }
        thread.start()
    }

    /// Whether the closure has returned.
    var isDone: Bool { state.withLock { $0.done } }

    /// Waits for the closure and rethrows its error.
    func join() throws {
        finished.wait()
        finished.signal()
        if let error = state.withLock({ $0.error }) { throw error }
    }
}
