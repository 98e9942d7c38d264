/// A function's readable name and its name as in the binary.
struct FunctionName: Hashable {
    /// Demangled (`ns::hot(int)`), or the name as is when it is not mangled.
    var function: String
    /// As in the binary or the DWARF linkage name: mangled for C++ and Swift.
    var systemName: String
}
