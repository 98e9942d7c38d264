import ArgumentParser

/// A duration on the command line: `10s`, `500ms`, `2m`, `1h`, `7d`, or a bare number of seconds (`1.5`).
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var duration: Duration
    var text: String

    init?(argument: String) {
        let units: [(suffix: String, nanoseconds: Double)] = [
            ("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9), ("m", 60e9), ("h", 3600e9), ("d", 86400e9),
        ]
        var number = Substring(argument)
        var scale = 1e9
        for unit in units where argument.hasSuffix(unit.suffix) {
            number = argument.dropLast(unit.suffix.count)
            scale = unit.nanoseconds
            break
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        duration = .nanoseconds(Int64(value * scale))
        text = argument
    }

    var description: String { text }
    static var defaultCompletionKind: CompletionKind { .default }
}
