import Glibc

/// The one place errno-returning calls go through in this module.
enum SystemCall {
    /// Runs `call` until it succeeds or fails with anything but `EINTR`.
    ///
    /// - Returns: the call's non-negative result, or `.failure(errno)` when it returned a negative value.
    static func retryingEINTR<Result: BinaryInteger>(_ call: () -> Result) -> Swift.Result<Result, Errno> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            let code = errno
            if code != EINTR { return .failure(Errno(code: code)) }
        }
    }

    /// An errno value carried as an `Error`.
    struct Errno: Error, Hashable {
        var code: Int32
        /// `strerror` text.
        var text: String { SymbolizerError.errnoText(code) }
    }
}
