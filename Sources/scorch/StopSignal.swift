import Glibc
import Synchronization

/// Turns the first SIGINT or SIGTERM into a stop request that long-running commands poll; a second one ends the
/// process as usual.
///
/// Both signals are also unblocked on the calling thread (call it from the main thread before starting others,
/// which inherit its mask): a process started from a thread that blocks them (libdispatch's worker threads do, and
/// a spawned child inherits the mask) would otherwise never see them.
enum StopSignal {
    private static let requested = Atomic<Bool>(false)

    static func install() {
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                StopSignal.requested.store(true, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}
