import ArgumentParser

/// A size on the command line: `1GiB`, `512MiB`, `64KiB`, `1GB` (powers of 1000), or a bare number of bytes.
struct ByteSizeArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var bytes: Int
    var text: String

    init?(argument: String) {
        let units: [(suffix: String, scale: Double)] = [
            ("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024 * 1024 * 1024), ("TiB", 1024 * 1024 * 1024 * 1024),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1),
        ]
        var number = Substring(argument)
        var scale = 1.0
        for unit in units where argument.hasSuffix(unit.suffix) {
            number = argument.dropLast(unit.suffix.count)
            scale = unit.scale
            break
        }
        guard let value = Double(number), value.isFinite, value > 0, value * scale < Double(Int.max) else {
            return nil
        }
        bytes = Int(value * scale)
        text = argument
    }

    var description: String { text }
}
