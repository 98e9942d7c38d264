import Glibc
import Synchronization

/// Turns the first SIGINT or SIGTERM into a stop request that long-running commands poll; a second one ends the
/// process as usual.
enum StopSignal {
    private static let requested = Atomic<Bool>(false)

    static func install() {
        // A child starts with the signal mask of the thread that spawned it, and thread pools (libdispatch, Swift
        // concurrency) block signals: unblock these two, or a stop request would stay pending forever.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                StopSignal.requested.store(true, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}
