/// A kernel function found for an address: `name+offset`, and the module it belongs to.
public struct KernelSymbol: Hashable, Sendable {
    /// The symbol's name as kallsyms spells it (kernel symbols are not mangled).
    public var name: String
    /// The module in brackets in kallsyms (`"ext4"`, `"bpf"`, `"__builtin__ftrace"`); nil for the core kernel.
    public var module: String?
    /// Bytes from the symbol's start to the address.
    public var offset: UInt64

    /// Creates a symbol reference.
    public init(name: String, module: String?, offset: UInt64) {
        self.name = name
        self.module = module
        self.offset = offset
    }
}
