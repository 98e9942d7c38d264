import Glibc
import Synchronization

/// Sleeps the calling thread for `duration`, resuming after signals (EINTR) until the whole time has passed.
public func sleepUninterrupted(_ duration: Duration) {
    guard duration > .zero else { return }
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
}

/// A POSIX thread running one closure, named so `top -H` and `perf` show what it is; `join()` waits for it.
public final class JoinableThread: Sendable {
    private let handle: Mutex<pthread_t?>

    /// Starts `body` on a new thread named `name` (at most 15 bytes are kept).
    ///
    /// - Throws: the errno `pthread_create` returned (e.g. EAGAIN when the system refuses a new thread), as text.
    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadError) {
        final class Start: Sendable {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) {
                self.name = name
                self.body = body
            }
        }
        let context = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            JoinableThread.nameCallingThread(start.name)
            start.body()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            throw ThreadError(description: "cannot start thread \(name): \(String(cString: strerror(status)))")
        }
        handle = Mutex(thread)
    }

    /// Waits until the closure has returned; returns at once on later calls.
    public func join() {
        guard let thread = handle.withLock({ handle in defer { handle = nil }; return handle }) else { return }
        pthread_join(thread, nil)
    }

    /// Names the calling thread (best effort; Glibc's pthread_setname_np is not visible to Swift).
    static func nameCallingThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        _ = name.withCString { write(file, $0, min(15, strlen($0))) }
        close(file)
    }
}

/// A thread that could not be started.
public struct ThreadError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
