/// pprof's rules for printing measurements, after `github.com/google/pprof/internal/measurement` and the text report.
///
/// Time and memory units scale automatically (`1.60s`, `250ms`, `10us`, `1.50MB`); other units (`count`, custom
/// ones) print as plain numbers. Formatting is done without Foundation; rounding is to nearest, ties to even, on the
/// binary value, which matches Go's `%.2f` except in rare last-digit ties.
enum PprofFormat {
    struct Unit {
        let name: String
        let aliases: [String]
        let factor: Double
    }

    struct UnitKind {
        let units: [Unit]
        let defaultUnit: Unit
    }

    static let kinds: [UnitKind] = [
        UnitKind(
            units: [
                Unit(name: "B", aliases: ["b", "byte"], factor: 1),
                Unit(name: "kB", aliases: ["kb", "kbyte", "kilobyte"], factor: 1024),
                Unit(name: "MB", aliases: ["mb", "mbyte", "megabyte"], factor: 1024 * 1024),
                Unit(name: "GB", aliases: ["gb", "gbyte", "gigabyte"], factor: 1024 * 1024 * 1024),
                Unit(name: "TB", aliases: ["tb", "tbyte", "terabyte"], factor: 1024 * 1024 * 1024 * 1024),
                Unit(name: "PB", aliases: ["pb", "pbyte", "petabyte"], factor: 1024 * 1024 * 1024 * 1024 * 1024),
            ],
            defaultUnit: Unit(name: "B", aliases: ["b", "byte"], factor: 1)),
        UnitKind(
            units: [
                Unit(name: "ns", aliases: ["ns", "nanosecond"], factor: 1),
                Unit(name: "us", aliases: ["μs", "us", "microsecond"], factor: 1e3),
                Unit(name: "ms", aliases: ["ms", "millisecond"], factor: 1e6),
                Unit(name: "s", aliases: ["s", "sec", "second"], factor: 1e9),
                Unit(name: "hrs", aliases: ["hour", "hr"], factor: 3600e9),
            ],
            defaultUnit: Unit(name: "s", aliases: [], factor: 1e9)),
    ]

    /// `value` in `from` units converted to `to` units (or the best unit for `to == "minimum"`/`"auto"`), and the
    /// unit's display name; the name is empty for uninteresting units such as `count`.
    static func scale(_ value: Int64, from: String, to: String) -> (value: Double, unit: String) {
        if value < 0 && value != .min {
            let (scaled, unit) = scale(-value, from: from, to: to)
            return (-scaled, unit)
        }
        for kind in kinds {
            if let converted = convert(value, from: from, to: to, kind: kind) { return converted }
        }
        switch to {
        case "count", "sample", "unit", "minimum", "auto": return (Double(value), "")
        default: return (Double(value), to)
        }
    }

    /// `value` in `from` units as pprof labels it in `to` units: `1.60s`, `250ms`, `0`, `42`.
    static func scaledLabel(_ value: Int64, from: String, to: String) -> String {
        if from.isEmpty && to == "count" { return String(value) }
        let (scaled, unit) = scale(value, from: from, to: to)
        var text = fixed(scaled, decimals: 2)
        if text.hasSuffix(".00") { text.removeLast(3) }
        if text == "0" || text == "-0" { return "0" }
        return text + unit
    }

    /// `value` as a percentage of `total`, six characters wide as in pprof: ` 64.52%`, `  100%`, `  0.5%`.
    static func percentage(_ value: Int64, of total: Int64) -> String {
        let ratio = total == 0 ? 0 : abs(Double(value) / Double(total)) * 100
        if ratio >= 99.95 && ratio <= 100.05 { return "  100%" }
        let number = ratio >= 1 ? fixed(ratio, decimals: 2) : twoSignificantDigits(ratio)
        return padLeft(number, to: 5) + "%"
    }

    /// The unit a report prints all its values in, chosen as pprof's `selectOutputUnit` does: the best unit for the
    /// smallest nonzero value, or, when that differs from the best unit for `total` and is over 100 times smaller,
    /// the largest unit in which the smallest value still shows as at least `0.01`.
    static func outputUnit(sampleUnit: String, smallestValue: Int64, total: Int64) -> String {
        let maxValue = total
        let minValue = smallestValue == 0 ? maxValue : smallestValue
        var unit = scale(minValue, from: sampleUnit, to: "minimum").unit
        let maxUnit = scale(maxValue, from: sampleUnit, to: "minimum").unit
        let (hundredTimesMin, overflow) = minValue.multipliedReportingOverflow(by: 100)
        if unit != maxUnit && !overflow && hundredTimesMin < maxValue {
            unit = scale(hundredTimesMin, from: sampleUnit, to: "minimum").unit
        }
        return unit.isEmpty ? sampleUnit : unit
    }

    /// `text` right-aligned in a field of `width` characters.
    static func padLeft(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func convert(_ value: Int64, from: String, to: String, kind: UnitKind) -> (Double, String)? {
        guard let fromUnit = sniff(from, in: kind) else { return nil }
        let base = Double(value) * fromUnit.factor
        if to == "minimum" || to == "auto" {
            var best: Unit?
            for unit in kind.units where unit.factor >= (best?.factor ?? 0) && base / unit.factor >= 1 {
                best = unit
            }
            let unit = best ?? kind.defaultUnit
            return (base / unit.factor, unit.name)
        }
        let toUnit = sniff(to, in: kind) ?? kind.defaultUnit
        return (base / toUnit.factor, toUnit.name)
    }

    private static func sniff(_ unit: String, in kind: UnitKind) -> Unit? {
        var name = unit.lowercased()
        if name.utf8.count > 2 && name.hasSuffix("s") { name.removeLast() }
        return kind.units.first { $0.aliases.contains(name) }
    }

    /// Go's `%.<decimals>f`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return String(describing: value) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
        let sign = value < 0 ? "-" : ""
        guard scaled < 1e19 else {
            // Too large for two decimals in 64 bits; the fraction is below Double's precision anyway.
            let whole = abs(value).rounded(.toNearestOrEven)
            let digits = whole < 1.8e19 ? String(UInt64(whole)) : String(describing: whole)
            return sign + digits + (decimals > 0 ? "." + String(repeating: "0", count: decimals) : "")
        }
        let integer = UInt64(scaled)
        var scaleInt: UInt64 = 1
        for _ in 0..<decimals { scaleInt *= 10 }
        let fraction = String(integer % scaleInt)
        let fractionText = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        return sign + String(integer / scaleInt) + (decimals > 0 ? "." + fractionText : "")
    }

    /// Go's `%.2g` for a nonnegative value: two significant digits, trailing zeros removed, exponent form below 1e-4.
    static func twoSignificantDigits(_ value: Double) -> String {
        guard value > 0, value.isFinite else { return value == 0 ? "0" : String(describing: value) }
        // Find the decimal exponent e with 10^e <= value < 10^(e+1), and the two leading digits.
        var exponent = 0
        var normalized = value
        while normalized >= 10 {
            normalized /= 10
            exponent += 1
        }
        while normalized < 1 {
            normalized *= 10
            exponent -= 1
        }
        var digits = Int((normalized * 10).rounded(.toNearestOrEven))
        if digits >= 100 {
            digits /= 10
            exponent += 1
        }
        let (first, second) = (digits / 10, digits % 10)
        if exponent < -4 || exponent >= 2 {
            let mantissa = second == 0 ? "\(first)" : "\(first).\(second)"
            let magnitude = String(abs(exponent))
            let exponentText = (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
            return mantissa + "e" + exponentText
        }
        // Fixed notation: digits × 10^(exponent - 1).
        var text: String
        switch exponent {
        case 1: text = "\(digits)"
        case 0: text = "\(first).\(second)"
        default: text = "0." + String(repeating: "0", count: -exponent - 1) + "\(first)\(second)"
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
