internal import CLibbpf
import Glibc

/// An opened — and after `load()`, loaded — BPF ELF object. Owns the libbpf `bpf_object` and closes it in deinit,
/// which also closes every map and program fd: keep the object alive while its maps are read.
///
/// Configure (globals in `.rodata`, map sizes) between `init` and `load()`; the kernel freezes both at load.
/// Not thread-safe; one owner.
public final class BPFObject {
    let handle: OpaquePointer
    public let name: String
    public private(set) var isLoaded = false

    /// Opens an object from memory (e.g. the object embedded in the binary). The bytes are copied by libbpf.
    public init(bytes: [UInt8], name: String) throws(BPFError) {
        self.name = name
        let (result, log) = LibbpfLog.capture { () throws(BPFError) -> OpaquePointer in
            let pointer = bytes.withUnsafeBytes { CLibbpf_open_mem($0.baseAddress, $0.count, name) }
            guard let pointer else {
                let error = errno
                throw BPFError(.openFailed, "cannot open BPF object \(name): \(errnoText(error))", errno: error)
            }
            return pointer
        }
        switch result {
        case .success(let pointer): handle = pointer
        case .failure(var error):
            error.verifierLog = log
            throw error
        }
    }

    deinit {
        bpf_object__close(handle)
    }

    /// The map called `name` (for global data sections, `.rodata`, `.bss`, `.data`).
    public func map(named name: String) throws(BPFError) -> BPFMap {
        if let map = bpf_object__find_map_by_name(handle, name) {
            return BPFMap(map, object: self)
        }
        // Internal maps are named "<object>.<section>" (truncated); match on the section suffix.
        var cursor = bpf_object__next_map(handle, nil)
        while let map = cursor {
            if name.hasPrefix("."), String(cString: bpf_map__name(map)).hasSuffix(name) {
                return BPFMap(map, object: self)
            }
            cursor = bpf_object__next_map(handle, map)
        }
        throw BPFError(.missingSymbol, "BPF object \(self.name) has no map named \(name)")
    }

    /// The program called `name` (its C function name).
    public func program(named name: String) throws(BPFError) -> BPFProgram {
        guard let program = bpf_object__find_program_by_name(handle, name) else {
            throw BPFError(.missingSymbol, "BPF object \(self.name) has no program named \(name)")
        }
        return BPFProgram(program, object: self)
    }

    /// Overwrites the initial value of the global `variable` in data section `section` (e.g. a `const volatile`
    /// in `.rodata`) with `bytes`, which must have exactly the variable's size. Only before `load()`.
    ///
    /// The variable's offset and size come from the object's BTF, so no layout is mirrored by hand.
    public func setGlobal<Value: BitwiseCopyable>(_ variable: String, in section: String = ".rodata", to value: Value)
        throws(BPFError)
    {
        let bytes = withUnsafeBytes(of: value) { Array($0) }
        precondition(!isLoaded, "globals are frozen once the object is loaded")
        let (offset, size) = try globalLayout(variable, in: section)
        guard size == bytes.count else {
            throw BPFError(
                .missingSymbol, "global \(variable) is \(size) bytes in the BPF object but \(bytes.count) were given")
        }
        let map = try self.map(named: section)
        var current = 0
        guard let initial = bpf_map__initial_value(map.handle, &current), offset + size <= current else {
            throw BPFError(.missingSymbol, "section \(section) of \(name) has no initial value to configure")
        }
        var data = [UInt8](UnsafeRawBufferPointer(start: initial, count: current))
        data.replaceSubrange(offset..<(offset + size), with: bytes)
        let status = data.withUnsafeBytes { bpf_map__set_initial_value(map.handle, $0.baseAddress, $0.count) }
        if status < 0 {
            throw BPFError(.mapOperationFailed, "cannot set \(variable) in \(section): \(errnoText(-status))", errno: -status)
        }
    }

    /// Offset and size of a global variable inside its data section, from BTF.
    func globalLayout(_ variable: String, in section: String) throws(BPFError) -> (offset: Int, size: Int) {
        guard let btf = bpf_object__btf(handle) else {
            throw BPFError(.missingSymbol, "BPF object \(name) has no BTF (compile it with -g)")
        }
        let sectionID = CLibbpf_find_datasec(btf, section)
        guard sectionID > 0, let datasec = btf__type_by_id(btf, UInt32(sectionID)) else {
            throw BPFError(.missingSymbol, "BPF object \(name) has no section \(section)")
        }
        let count = Int(btf_vlen(datasec))
        guard let infos = btf_var_secinfos(datasec) else {
            throw BPFError(.missingSymbol, "section \(section) of \(name) lists no variables")
        }
        for index in 0..<count {
            let info = infos[index]
            guard let variableType = btf__type_by_id(btf, info.type),
                let variableName = btf__name_by_offset(btf, variableType.pointee.name_off)
            else { continue }
            if String(cString: variableName) == variable {
                return (Int(info.offset), Int(info.size))
            }
        }
        throw BPFError(.missingSymbol, "BPF object \(name) has no global \(variable) in \(section)")
    }

    /// Loads every program and creates every map. A verifier rejection throws `.loadFailed` with the verifier log.
    public func load() throws(BPFError) {
        let (result, log) = LibbpfLog.capture { () throws(BPFError) in
            let status = bpf_object__load(handle)
            if status < 0 {
                throw BPFError(
                    .loadFailed,
                    "the kernel rejected BPF object \(name): \(errnoText(-status))", errno: -status)
            }
        }
        if case .failure(var error) = result {
            error.verifierLog = log
            // The verifier's own last word, rather than libbpf's summary lines that follow it.
            let verifierLines = log.map { $0.trimmingCharacters(in: " \t") }
                .filter { !$0.isEmpty && !$0.hasPrefix("libbpf:") && !$0.hasPrefix("--") }
            if let reason = verifierLines.last {
                error.message += " (verifier: \(reason))"
            }
            if error.errno == EPERM || error.errno == EACCES {
                error.message += "; run as root or with CAP_BPF and CAP_PERFMON"
            }
            throw error
        }
        isLoaded = true
    }
}
