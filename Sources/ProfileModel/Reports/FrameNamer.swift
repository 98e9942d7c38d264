/// Display names of stack frames, shared by ``FoldedStacks`` and ``TopReport`` so both name frames identically.
///
/// A line is named by its function's ``Function/name`` (or ``Function/systemName`` if the name is empty). A location
/// without lines, or a line whose function is unknown, is named by its address: `libfoo.so+0x1234` (file offset in
/// the mapping's object file) or `0x7f001234` (absolute address) when it has no mapping.
///
/// Names are cached per location id, so a namer should live for one report.
struct FrameNamer {
    private let profile: Profile
    private let transform: (String) -> String
    private var cache: [UInt64: [String]] = [:]

    /// - Parameter transform: applied to every name once, before caching (e.g. escaping for the folded format).
    init(_ profile: Profile, transform: @escaping (String) -> String = { $0 }) {
        self.profile = profile
        self.transform = transform
    }

    /// The frames at location `id`, innermost (leaf-most) first: one per line, or the address name if it has none.
    /// An id that names no location yields `[unknown]`.
    mutating func names(ofLocation id: UInt64) -> [String] {
        if let names = cache[id] { return names }
        let names: [String]
        if let location = profile.location(id: id) {
            names = (location.lines.isEmpty ? [addressName(location)] : location.lines.map { name($0, location) })
                .map(transform)
        } else {
            names = [transform("[unknown]")]
        }
        cache[id] = names
        return names
    }

    private func name(_ line: Line, _ location: Location) -> String {
        if let function = profile.function(id: line.functionID) {
            if !function.name.isEmpty { return function.name }
            if !function.systemName.isEmpty { return function.systemName }
        }
        return addressName(location)
    }

    private func addressName(_ location: Location) -> String {
        guard let mapping = profile.mapping(id: location.mappingID), !mapping.file.isEmpty else {
            return "0x" + String(location.address, radix: 16)
        }
        // Wrapping arithmetic: an address outside its mapping must not trap on untrusted input.
        let fileOffset = location.address &- mapping.start &+ mapping.offset
        return mapping.basename + "+0x" + String(fileOffset, radix: 16)
    }
}
