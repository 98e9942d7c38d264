internal import CLibdw
import Glibc

/// One ELF file opened through libdw: an offline `Dwfl` holding exactly one module, reported at base 0.
///
/// With base 0, a module address is the ELF virtual address plus the module's bias, which is 0 for `ET_EXEC`
/// and for `ET_DYN` files whose first segment starts at 0 (every normally linked shared object and PIE); the
/// bias is applied anyway. Symbols and DWARF come from the file or its separate debug file (see
/// `CLibdw_offlineCallbacks`); they are read, and indexed by this class, on first use.
///
/// Not thread-safe (libdw's lazy loading and the indexes mutate): one owner at a time. `deinit` ends the `Dwfl`,
/// which closes the file and frees everything libdw allocated; the indexes borrow libdw's memory and go with it.
final class ELFBinary {
    let path: String
    private let dwfl: OpaquePointer
    let module: OpaquePointer
    /// Added to an ELF address to get a module address.
    let bias: UInt64
    let loadSegments: [LoadSegment]

    /// Code symbols, read on first lookup.
    lazy var symbolTable = SymbolTable(
        module: module,
        executableRanges: loadSegments.filter(\.isExecutable).map {
            ($0.virtualAddress &+ bias)..<($0.virtualAddress &+ bias &+ $0.fileSize)
        })

    /// Names of symbols already used, by symbol table index: as in the binary, and demangled.
    var symbolNames: [Int: FunctionName] = [:]

    /// The DWARF of the file or of its separate debug file, and the bias to subtract from a module address to get
    /// a DWARF address; searched for on first use, nil when there is none.
    lazy var dwarf: (pointer: OpaquePointer, bias: Dwarf_Addr)? = {
        var dwarfBias: Dwarf_Addr = 0
        guard let pointer = dwfl_module_getdwarf(module, &dwarfBias) else { return nil }
        return (pointer, dwarfBias)
    }()

    /// Unit lookup by address, built on first use.
    lazy var unitIndex: DWARFUnitIndex? = dwarf.map { DWARFUnitIndex(dwarf: $0.pointer) }

    /// Units already used, by the offset of their DIE.
    var units: [Dwarf_Off: CompilationUnit] = [:]

    /// Why a file could not be opened as an ELF binary: the per-address reason and a full error.
    struct OpenFailure: Error {
        var reason: UnknownReason
        var error: SymbolizerError
    }

    /// Opens `path`.
    ///
    /// - Throws: ``OpenFailure`` with `.fileUnreadable` (open or read failed), or `.notELF` (no ELF magic, or libelf
    ///   rejected the file).
    init(path: String) throws(OpenFailure) {
        self.path = path
        let fd: Int32
        switch SystemCall.retryingEINTR({ open(path, O_RDONLY | O_CLOEXEC) }) {
        case .success(let value): fd = value
        case .failure(let error):
            throw OpenFailure(
                reason: .fileUnreadable(error.text),
                error: SymbolizerError(code: .fileUnreadable, message: "cannot open binary \(path)", errno: error.code))
        }
        do throws(OpenFailure) {
            try Self.checkMagic(fd: fd, path: path)
        } catch {
            close(fd)
            throw error
        }

        guard let dwfl = CLibdw_beginOffline() else {
            close(fd)
            throw OpenFailure(reason: .notELF, error: Self.libdwError("cannot create a libdw session for \(path)"))
        }
        dwfl_report_begin(dwfl)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        // On success libdwfl owns `fd` and closes it in dwfl_end.
        guard let module = dwfl_report_elf(dwfl, name, path, fd, 0, false) else {
            let error = Self.libdwError("libelf cannot read \(path) as ELF", code: .notELF)
            close(fd)
            dwfl_end(dwfl)
            throw OpenFailure(reason: .notELF, error: error)
        }
        dwfl_report_end(dwfl, nil, nil)

        var bias: Dwarf_Addr = 0
        guard let elf = dwfl_module_getelf(module, &bias) else {
            let error = Self.libdwError("libelf cannot read \(path) as ELF", code: .notELF)
            dwfl_end(dwfl)
            throw OpenFailure(reason: .notELF, error: error)
        }
        self.dwfl = dwfl
        self.module = module
        self.bias = bias
        self.loadSegments = Self.readLoadSegments(elf)
    }

    deinit {
        dwfl_end(dwfl)
    }

    /// The module address for `offset`, or nil when no `PT_LOAD` segment's file part contains it.
    func moduleAddress(of offset: FileOffset) -> UInt64? {
        loadSegments.elfAddress(of: offset).map { $0.rawValue &+ bias }
    }

    private static func checkMagic(fd: Int32, path: String) throws(OpenFailure) {
        var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let result = withUnsafeMutableBytes(of: &magic) { buffer in
            SystemCall.retryingEINTR { pread(fd, buffer.baseAddress, 4, 0) }
        }
        switch result {
        case .failure(let error):
            throw OpenFailure(
                reason: .fileUnreadable(error.text),
                error: SymbolizerError(code: .fileUnreadable, message: "cannot read binary \(path)", errno: error.code))
        case .success(let count):
            guard count == 4, magic == (0x7f, UInt8(ascii: "E"), UInt8(ascii: "L"), UInt8(ascii: "F")) else {
                throw OpenFailure(
                    reason: .notELF,
                    error: SymbolizerError(code: .notELF, message: "\(path) is not an ELF file (no ELF magic)"))
            }
        }
    }

    private static func readLoadSegments(_ elf: OpaquePointer) -> [LoadSegment] {
        var count = 0
        guard elf_getphdrnum(elf, &count) == 0 else { return [] }
        var segments: [LoadSegment] = []
        for index in 0..<count {
            var header = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(index), &header) != nil, header.p_type == UInt32(PT_LOAD) else { continue }
            segments.append(
                LoadSegment(
                    fileOffset: header.p_offset, fileSize: header.p_filesz, virtualAddress: header.p_vaddr,
                    isExecutable: header.p_flags & UInt32(PF_X) != 0))
        }
        return segments
    }

    /// An error carrying libdw's last error message.
    static func libdwError(_ message: String, code: SymbolizerError.Code = .libdw) -> SymbolizerError {
        let detail = dwfl_errmsg(-1).map { String(cString: $0) } ?? "unknown libdw error"
        return SymbolizerError(code: code, message: "\(message): \(detail)")
    }
}
