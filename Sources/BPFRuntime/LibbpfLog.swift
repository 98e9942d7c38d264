internal import CLibbpf
import Glibc
import Synchronization

/// Collects what libbpf prints (warnings, and the verifier log when a load fails) instead of letting it reach stderr.
///
/// libbpf has one process-wide print callback; this type owns it. `capture` is serialized by a lock, so concurrent
/// loads do not interleave their logs.
enum LibbpfLog {
    private static let lines = Mutex<[String]>([])
    private static let captureLock = Mutex<Void>(())

    /// Runs `body` with libbpf's output captured, returning its result and the captured lines.
    static func capture<T>(_ body: () throws(BPFError) -> T) -> (Result<T, BPFError>, [String]) {
        captureLock.withLock { _ in
            lines.withLock { $0.removeAll() }
            libbpf_set_print { _, format, arguments in
                guard let format, let arguments else { return 0 }
                var buffer = [CChar](repeating: 0, count: 4096)
                _ = vsnprintf(&buffer, buffer.count, format, arguments)
                let text = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                LibbpfLog.lines.withLock { $0.append(contentsOf: text.split(separator: "\n").map(String.init)) }
                return 0
            }
            defer { libbpf_set_print(nil) }
            let result: Result<T, BPFError>
            do throws(BPFError) { result = .success(try body()) } catch { result = .failure(error) }
            return (result, lines.withLock { $0 })
        }
    }
}
