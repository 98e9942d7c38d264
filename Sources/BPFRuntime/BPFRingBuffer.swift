internal import CLibbpf
import Glibc

/// A consumer of a `BPF_MAP_TYPE_RINGBUF` map. Each record is handed to `handler` as raw bytes that are valid only
/// during the call; copy what must outlive it.
///
/// Consumption happens only inside `poll`/`consume`, on the caller's thread. Holds its object alive; frees the
/// libbpf ring buffer in deinit. Not thread-safe: one owner.
public final class BPFRingBuffer {
    private final class Box {
        let handler: (UnsafeRawBufferPointer) -> Void
        init(_ handler: @escaping (UnsafeRawBufferPointer) -> Void) { self.handler = handler }
    }

    private let handle: OpaquePointer
    private let box: Box
    private let map: BPFMap

    public init(map: BPFMap, handler: @escaping (UnsafeRawBufferPointer) -> Void) throws(BPFError) {
        self.map = map
        box = Box(handler)
        let context = Unmanaged.passUnretained(box).toOpaque()
        guard
            let handle = ring_buffer__new(
                map.fd,
                { context, data, size in
                    guard let context, let data else { return 0 }
                    let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
                    box.handler(UnsafeRawBufferPointer(start: data, count: size))
                    return 0
                }, context, nil)
        else {
            let error = errno
            throw BPFError(
                .mapOperationFailed, "cannot open ring buffer \(map.name): \(errnoText(error))", errno: error)
        }
        self.handle = handle
    }

    deinit {
        ring_buffer__free(handle)
    }

    /// Hands every record available now to the handler without waiting. Returns how many were consumed.
    @discardableResult
    public func consume() throws(BPFError) -> Int {
        let count = retryingEINTR { ring_buffer__consume(handle) }
        if count < 0 {
            throw BPFError(.mapOperationFailed, "reading ring buffer \(map.name) failed: \(errnoText(-count))", errno: -count)
        }
        return Int(count)
    }

    /// Waits up to `milliseconds` for records, then hands over what is available. Returns how many were consumed.
    @discardableResult
    public func poll(milliseconds: Int32) throws(BPFError) -> Int {
        let count = ring_buffer__poll(handle, milliseconds)
        if count == -EINTR { return 0 }
        if count < 0 {
            throw BPFError(.mapOperationFailed, "polling ring buffer \(map.name) failed: \(errnoText(-count))", errno: -count)
        }
        return Int(count)
    }
}
