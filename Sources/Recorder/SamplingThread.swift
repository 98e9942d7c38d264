import BPFRuntime
import Glibc
import Sampler
import Synchronization

/// Runs a `SamplingLoop` on a thread of its own, window after window, and hands each finished window to the thread
/// that symbolizes. Sampling, unwinding and map draining therefore never wait for symbolization, however long a big
/// new binary takes to index.
final class SamplingThread: Sendable {
    enum Event: Sendable {
        case window(SampledWindow)
        /// Reading the kernel maps failed; sampling has stopped.
        case failed(BPFError)
        /// The last window was handed over after a stop request.
        case finished
    }

    private let loop: SamplingLoop
    private let window: Duration
    private let drainInterval: Duration
    private let events = Mutex<[Event]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)

    init(loop: SamplingLoop, window: Duration, drainInterval: Duration) {
        self.loop = loop
        self.window = window
        self.drainInterval = drainInterval
    }

    /// Starts the thread.
    func start() throws(ThreadError) {
        let started = try JoinableThread(name: "scorch-sampler") { [self] in run() }
        thread.withLock { $0 = started }
    }

    /// Asks the thread to end the open window, hand it over and stop. Returns at once.
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Events handed over since the last call, oldest first.
    func takeEvents() -> [Event] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }

    /// Waits for the thread to end (after `.finished` or `.failed`).
    func join() {
        thread.withLock { $0 }?.join()
    }

    private func send(_ event: Event) {
        events.withLock { $0.append(event) }
    }

    private func run() {
        let clock = ContinuousClock()
        var windowEnd = clock.now.advanced(by: window)
        do throws(BPFError) {
            while true {
                let stopping = stopRequested.load(ordering: .acquiring)
                if stopping {
                    // The last window: stop sampling first, so every counted sample is in it.
                    send(.window(try loop.endSampling()))
                    break
                }
                if clock.now >= windowEnd {
                    send(.window(try loop.endWindow()))
                    windowEnd = windowEnd.advanced(by: window)
                    // After a stall (a suspended VM, a stopped process), start afresh rather than in a burst.
                    if windowEnd <= clock.now { windowEnd = clock.now.advanced(by: window) }
                }
                try loop.poll()
                let remaining = windowEnd - clock.now
                if remaining > .zero { sleepUninterrupted(min(remaining, drainInterval)) }
            }
            loop.sampler.stop()
            send(.finished)
        } catch {
            loop.sampler.stop()
            send(.failed(error))
        }
    }
}
