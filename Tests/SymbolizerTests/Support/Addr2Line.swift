import Foundation
import Symbolizer

/// `eu-addr2line -a -i -f` as an oracle: its frames for ELF addresses of one binary, innermost first.
enum Addr2Line {
    struct Frame: Equatable, CustomStringConvertible {
        var function: String
        var file: String?
        var line: Int?
        var description: String { "\(function) at \(file ?? "??"):\(line.map(String.init) ?? "?")" }
    }

    /// The frames eu-addr2line reports for each address (same order as `addresses`).
    static func frames(binary: String, addresses: [UInt64]) throws -> [[Frame]] {
        let arguments =
            ["eu-addr2line", "-a", "-i", "-f", "-e", binary] + addresses.map { "0x" + String($0, radix: 16) }
        let output = try Shell.run(arguments)
        var blocks: [[String]] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("0x") {
                blocks.append([])
            } else if !blocks.isEmpty {
                blocks[blocks.count - 1].append(String(line))
            }
        }
        return blocks.map(parse)
    }

    /// `[name line, file:line, (caller, file:line)*]` → frames.
    private static func parse(_ lines: [String]) -> [Frame] {
        guard lines.count >= 2 else { return [] }
        var frames: [Frame] = []
        let firstName = lines[0].components(separatedBy: " inlined at ").first ?? lines[0]
        let (file, line) = location(lines[1])
        frames.append(Frame(function: firstName, file: file, line: line))
        var index = 2
        while index + 1 < lines.count {
            let (callerFile, callerLine) = location(lines[index + 1])
            frames.append(Frame(function: lines[index], file: callerFile, line: callerLine))
            index += 2
        }
        return frames
    }

    /// `path:line[:column]` → (path, line); `??:0` → (nil, nil).
    private static func location(_ text: String) -> (String?, Int?) {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3, Int(parts[parts.count - 1]) != nil, Int(parts[parts.count - 2]) != nil {
            parts.removeLast()  // column
        }
        guard parts.count >= 2, let line = Int(parts[parts.count - 1]) else { return (nil, nil) }
        let file = parts.dropLast().joined(separator: ":")
        if file == "??" { return (nil, nil) }
        return (file, line == 0 ? nil : line)
    }
}

extension SymbolizedFrame {
    /// The frame in the oracle's terms.
    var addr2Line: Addr2Line.Frame { Addr2Line.Frame(function: function, file: file, line: line) }
}
