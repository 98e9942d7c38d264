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
    private let thread = Mutex<pthread_t?>(nil)

    init(loop: SamplingLoop, window: Duration, drainInterval: Duration) {
        self.loop = loop
        self.window = window
        self.drainInterval = drainInterval
    }

    /// Starts the thread. Fails only when the system refuses a new thread (errno as returned by pthread_create).
    func start() -> Int32 {
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { context in
            let this = Unmanaged<SamplingThread>.fromOpaque(context!).takeRetainedValue()
            this.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<SamplingThread>.fromOpaque(context).release()
            return status
        }
        thread.withLock { $0 = handle }
        return 0
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
        guard let handle = thread.withLock({ $0 }) else { return }
        pthread_join(handle, nil)
        thread.withLock { $0 = nil }
    }

    private func send(_ event: Event) {
        events.withLock { $0.append(event) }
    }

    private func run() {
        Self.nameThisThread("scorch-sampler")
        let clock = ContinuousClock()
        var windowEnd = clock.now.advanced(by: window)
        do throws(BPFError) {
            while true {
                let stopping = stopRequested.load(ordering: .acquiring)
                if stopping || clock.now >= windowEnd {
                    send(.window(try loop.endWindow()))
                    if stopping { break }
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

    /// Names the calling thread (what top -H and perf show); best effort.
    private static func nameThisThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        _ = name.withCString { write(file, $0, strlen($0)) }
        close(file)
    }
}
