import Dispatch
import Glibc
import Logging
import ScorchServer
import Synchronization

/// A ``ScorchServer`` running on the Swift concurrency pool beside a synchronous command (the agent's sampling and
/// store threads keep their own threads), stopped by ``stop()``.
final class BackgroundServer: Sendable {
    /// Where it listens (the port the kernel chose for port 0).
    let address: ListenAddress
    private let task: Task<Void, Never>
    private let finished: DispatchSemaphore

    /// Starts `server` and waits until it listens.
    ///
    /// - Throws: a one-line ``CLIError`` when the address cannot be bound (in use, not an address of this host).
    init(_ server: ScorchServer) throws(CLIError) {
        let outcome = Mutex<Result<ListenAddress, CLIError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let listen = server.configuration.listen
        task = Task.detached {
            defer { finished.signal() }
            do {
                try await server.run { address in
                    outcome.withLock { $0 = .success(address) }
                    ready.signal()
                }
            } catch {
                let first = outcome.withLock { state -> Bool in
                    if state != nil { return false }
                    state = .failure(CLIError("cannot listen on \(listen): \(Self.describe(error))"))
                    return true
                }
                if first { ready.signal() }
            }
        }
        self.finished = finished
        ready.wait()
        switch outcome.withLock({ $0 }) {
        case .success(let address): self.address = address
        case .failure(let error): throw error
        case nil: throw CLIError("the HTTP server stopped before it listened on \(listen)")
        }
    }

    /// Stops accepting connections and waits (up to 5 s) for requests under way.
    func stop() {
        task.cancel()
        _ = finished.wait(timeout: .now() + .seconds(5))
    }

    /// NIO's socket errors read like `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`; a person
    /// needs the errno's message.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if let match = text.firstMatch(of: /\(errno: (\d+)\)/), let number = Int32(match.1) {
            let message = String(cString: strerror(number))
            return number == EADDRINUSE ? message + " (is another scorch listening there?)" : message
        }
        return text
    }
}
