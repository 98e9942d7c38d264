import Glibc

/// Runs an errno-returning call, retrying while it fails with EINTR.
///
/// - Returns: the call's non-negative result, or `-errno` (libbpf style) on failure.
@inline(__always)
func retryingEINTR(_ call: () -> Int32) -> Int32 {
    while true {
        let result = call()
        if result >= 0 { return result }
        let error = errno
        if error == EINTR { continue }
        // libbpf returns -errno directly; plain syscalls return -1 and set errno.
        return result == -1 && error != 0 ? -error : result
    }
}

/// The text of an errno value, e.g. "Operation not permitted".
func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
