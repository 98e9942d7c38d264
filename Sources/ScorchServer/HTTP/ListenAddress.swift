/// A TCP address to listen on, as written on the command line: `127.0.0.1:7070`, `[::1]:7070`, `localhost:7070`,
/// `0.0.0.0:7070`; port 0 lets the kernel choose.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host: an IPv4 or IPv6 address (without brackets) or a host name.
    public var host: String
    public var port: Int

    /// 127.0.0.1:7070.
    public static let defaultAgent = ListenAddress(host: "127.0.0.1", port: 7070)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[ipv6]:port`, or says in one line why the text is not one.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        func failure(_ reason: String) -> Result<ListenAddress, ListenAddressError> {
            .failure(ListenAddressError(message: "bad --listen \"\(text)\": \(reason)"))
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return failure("missing ']' after the IPv6 address") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return failure("expected ':' and a port after ']'") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return failure("expected HOST:PORT, as in 127.0.0.1:7070")
            }
            host = text[..<colon]
            guard !host.contains(":") else { return failure("write an IPv6 address in brackets, as in [::1]:7070") }
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { return failure("the host is empty; use 127.0.0.1 or 0.0.0.0 for every address") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "%" })
        else {
            return failure("\"\(host)\" is not an address or host name")
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), port <= 65535 else {
            return failure("the port must be a number from 0 to 65535")
        }
        return .success(ListenAddress(host: String(host), port: port))
    }

    /// Whether only this host can connect: `localhost`, 127.0.0.0/8 or ::1 (also as ::ffff:127.x.y.z).
    public var isLoopback: Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let v4 = lowered.hasPrefix("::ffff:") ? String(lowered.dropFirst(7)) : lowered
        let parts = v4.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) })
        else {
            return false
        }
        return parts.allSatisfy { Int($0)! <= 255 } && parts[0] == "127"
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Why a `--listen` value was rejected.
public struct ListenAddressError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
