import Glibc
import Synchronization

/// Turns the first SIGINT or SIGTERM into a stop request that long-running commands poll; a second one ends the
/// process as usual.
enum StopSignal {
    private static let requested = Atomic<Bool>(false)

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                StopSignal.requested.store(true, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}
