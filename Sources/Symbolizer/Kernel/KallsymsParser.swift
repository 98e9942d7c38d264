/// Parses `/proc/kallsyms` text into text symbols and the core text markers.
enum KallsymsParser {
    struct Symbol {
        var address: UInt64
        var name: String
        var module: String?
        /// Lower is preferred among symbols at the same address.
        var rank: Int
        /// Line order, the last tie-breaker.
        var order: Int
    }

    struct Result {
        var symbols: [Symbol] = []
        /// `_stext` (or `_text` when `_stext` is absent).
        var textStart: UInt64?
        /// `_etext`.
        var textEnd: UInt64?
        /// Whether text symbols were seen with address zero (skipped).
        var sawZeroAddresses = false
    }

    /// Parses lines `address type name` or `address type name\t[module]`; other lines are skipped.
    static func parse(_ bytes: [UInt8]) -> Result {
        var result = Result()
        var textSymbol: UInt64?
        var moduleNames: [ArraySlice<UInt8>: String] = [:]
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { lineStart = lineEnd + 1 }
            let line = bytes[lineStart..<lineEnd]

            // "ffffffff81000000 T _stext" or "ffffffffc0201000 t name\t[module]"
            guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")),
                firstSpace + 3 < lineEnd, bytes[firstSpace + 2] == UInt8(ascii: " "),
                let address = UInt64(hex: bytes[lineStart..<firstSpace])
            else { continue }
            let type = bytes[firstSpace + 1]
            let isWeak = type == UInt8(ascii: "w") || type == UInt8(ascii: "W")
            let isLocal = type == UInt8(ascii: "t") || type == UInt8(ascii: "w")
            guard isWeak || type == UInt8(ascii: "t") || type == UInt8(ascii: "T") else { continue }
            guard address != 0 else {
                result.sawZeroAddresses = true
                continue
            }

            let nameStart = firstSpace + 3
            let tab = bytes[nameStart..<lineEnd].firstIndex(of: UInt8(ascii: "\t"))
            let nameBytes = bytes[nameStart..<(tab ?? lineEnd)]
            guard !nameBytes.isEmpty else { continue }
            var module: String?
            if let tab {
                var moduleBytes = bytes[(tab + 1)..<lineEnd]
                if moduleBytes.first == UInt8(ascii: "[") { moduleBytes = moduleBytes.dropFirst() }
                if moduleBytes.last == UInt8(ascii: "]") { moduleBytes = moduleBytes.dropLast() }
                if !moduleBytes.isEmpty {
                    if let interned = moduleNames[moduleBytes] {
                        module = interned
                    } else {
                        let name = String(decoding: moduleBytes, as: UTF8.self)
                        moduleNames[moduleBytes] = name
                        module = name
                    }
                }
            }

            if module == nil, nameBytes.first == UInt8(ascii: "_"), nameBytes.count <= 6 {
                switch String(decoding: nameBytes, as: UTF8.self) {
                case "_stext":
                    result.textStart = address
                    continue
                case "_text":
                    textSymbol = address
                    continue
                case "_etext":
                    result.textEnd = address
                    continue
                default:
                    break
                }
            }
            let underscores = min(nameBytes.prefix { $0 == UInt8(ascii: "_") }.count, 9)
            let rank = (isWeak ? 100 : 0) + underscores * 10 + (isLocal ? 1 : 0)
            result.symbols.append(
                Symbol(
                    address: address, name: String(decoding: nameBytes, as: UTF8.self), module: module, rank: rank,
                    order: result.symbols.count))
        }
        if result.textStart == nil {
            result.textStart = textSymbol
        }
        return result
    }
}
