internal import CLibbpf
import Glibc

/// A program of a loaded `BPFObject`. Holds its object alive.
public struct BPFProgram {
    let handle: OpaquePointer
    let object: BPFObject

    init(_ handle: OpaquePointer, object: BPFObject) {
        self.handle = handle
        self.object = object
    }

    public var name: String { String(cString: bpf_program__name(handle)) }

    /// Attaches the program to an open perf event; sampling starts as soon as this returns.
    public func attach(to event: PerfEvent) throws(BPFError) -> BPFLink {
        guard let link = bpf_program__attach_perf_event(handle, event.fd) else {
            let error = errno
            throw BPFError(
                .attachFailed, "cannot attach \(name) to the perf event on CPU \(event.cpu): \(errnoText(error))",
                errno: error)
        }
        return BPFLink(link, program: self, event: event)
    }
}

/// An attachment of a program to a perf event; detaches (and disables the event) in deinit.
public final class BPFLink {
    let handle: OpaquePointer
    let program: BPFProgram
    let event: PerfEvent

    init(_ handle: OpaquePointer, program: BPFProgram, event: PerfEvent) {
        self.handle = handle
        self.program = program
        self.event = event
    }

    deinit {
        bpf_link__destroy(handle)
    }
}
