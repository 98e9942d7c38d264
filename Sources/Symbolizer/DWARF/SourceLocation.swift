/// A source file and line, from a line table row or an inlined call site.
struct SourceLocation: Hashable {
    var file: String
    var line: Int?
}
