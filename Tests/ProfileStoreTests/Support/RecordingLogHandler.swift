import Logging
import Synchronization

/// Collects log messages so tests can check that damage was reported.
final class LogRecorder: Sendable {
    private let entries = Mutex<[(Logger.Level, String)]>([])

    /// A logger that records into this recorder (at `.debug` and above).
    func logger() -> Logger {
        var logger = Logger(label: "scorch.store.test") { _ in RecordingLogHandler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }

    func append(_ level: Logger.Level, _ message: String) {
        entries.withLock { $0.append((level, message)) }
    }

    /// Messages at `level` or above.
    func messages(atLeast level: Logger.Level = .warning) -> [String] {
        entries.withLock { $0.filter { $0.0 >= level }.map(\.1) }
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.append(event.level, "\(event.message)")
    }
}
