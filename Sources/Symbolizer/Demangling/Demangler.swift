internal import CLibdw
import Glibc

/// Turns mangled C++ and Swift symbol names into readable ones.
///
/// Thread-safe: both underlying demanglers are reentrant and no state is kept.
public enum Demangler {
    /// The readable form of `name`.
    ///
    /// - Itanium C++ ABI names (`_Z…`, also with clone suffixes such as `.constprop.0`) go through libstdc++'s
    ///   `__cxa_demangle`: `_ZN2ns3hotEi` → `ns::hot(int)`.
    /// - Swift names (`$s…`, `_$s…`, `$S…`, `_$S…`, `$e…`, `_T0…`) go through the Swift runtime's
    ///   `swift_demangle`: `$s4main7hotLoopyyF` → `main.hotLoop() -> ()`.
    /// - Anything else, and any name a demangler rejects, is returned unchanged.
    public static func demangle(_ name: String) -> String {
        switch scheme(of: name) {
        case .cxx: demangleCXX(name) ?? name
        case .swift: demangleSwift(name) ?? name
        case nil: name
        }
    }

    /// Whether `name` looks mangled by a scheme this demangler knows (it may still fail to demangle).
    public static func isMangled(_ name: String) -> Bool {
        scheme(of: name) != nil
    }

    private enum Scheme {
        case cxx
        case swift
    }

    private static let swiftPrefixes = ["$s", "_$s", "$S", "_$S", "$e", "_$e", "_T0"]

    private static func scheme(of name: String) -> Scheme? {
        if name.hasPrefix("_Z") { return .cxx }
        if swiftPrefixes.contains(where: { name.hasPrefix($0) }) { return .swift }
        return nil
    }

    private static func demangleCXX(_ name: String) -> String? {
        var status: Int32 = 0
        guard let result = __cxa_demangle(name, nil, nil, &status) else { return nil }
        defer { free(result) }
        guard status == 0 else { return nil }
        return String(cString: result)
    }

    private static func demangleSwift(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { bytes -> String? in
            guard let base = bytes.baseAddress else { return nil }
            let result = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                swift_demangle(characters, bytes.count, nil, nil, 0)
            }
            guard let result else { return nil }
            defer { free(result) }
            return String(cString: result)
        }
    }
}
