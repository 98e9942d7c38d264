/// Bytes that do not follow storage/FORMAT.md: a truncated field, an out-of-range id, a bad magic number.
///
/// Internal: the store reports it as a corrupt block or segment (skipped and counted), never to API callers as is.
struct FormatError: Error, CustomStringConvertible {
    /// What is wrong, e.g. `stack 3 refers to location 912 of 40`.
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
