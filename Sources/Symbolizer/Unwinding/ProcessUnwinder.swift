internal import CLibdw

/// One process's libdw unwinding state: a `Dwfl` holding the process's modules, reported from its captured maps,
/// and attached (`dwfl_attach_state`) to the C callbacks in `CLibdw` that read the sample being unwound.
///
/// libdw opens a module's ELF file, and parses its CFI, only when a pc falls in it; both stay cached in the `Dwfl`
/// for later samples, as does what the CFI says about each pc seen (``pcKinds``). Nothing is read from
/// `/proc/PID`. `deinit` ends the `Dwfl`, which closes its files and frees everything libdw allocated.
///
/// Not thread-safe: one owner (a ``StackUnwinder``).
final class ProcessUnwinder {
    let pid: Int32
    /// The modules the `Dwfl` holds.
    let modules: [UnwindModule]
    /// The maps these modules were last confirmed against; when the caller passes the same array storage again,
    /// the comparison is skipped.
    var maps: ProcessMaps
    /// The ``StackUnwinder``'s use counter at the last unwind, for least-recently-used eviction.
    var lastUse: UInt64 = 0

    let dwfl: OpaquePointer
    /// The `dwfl_arg` of the callbacks: points at the current sample during ``walk(registers:stack:maximumDepth:)``.
    let snapshot: UnsafeMutablePointer<CLibdw_UnwindSnapshot>
    /// Kept alive while `dwfl` refers to its memory (for the `[vdso]` module and `dwfl_attach_state`).
    private let vdso: VDSOImage?

    /// What the CFI says about each adjusted pc looked up so far; emptied when it reaches ``maximumCachedPCs``.
    var pcKinds: [UInt64: PCKind] = [:]
    /// Modules in which a pc was looked up, so libdw opened their ELF file.
    var loadedModules: Set<OpaquePointer> = []
    /// About 200 KiB at most per process (dictionary entry and libdw's parsed CFI); a busy process's stacks hold a
    /// few thousand distinct return addresses.
    static let maximumCachedPCs = 8192

    /// State of the walk in progress, read by the frame callback.
    var frames: [ProcessAddress] = []
    var exactFrames: Set<Int> = []
    var maximumDepth = 0
    var stoppedWith: UnwindOutcome?
    var stopError: String?

    /// What CFI says about unwinding from a pc (see `CLibdw_UnwindPCKind`).
    enum PCKind {
        case noModule, noCFI, outermost, unwindable
    }

    /// Why the state could not be built.
    struct SetupFailure: Error {
        var message: String
    }

    /// Builds the state for `pid` from `maps`.
    ///
    /// - Throws: ``SetupFailure`` when libdw cannot allocate the `Dwfl`, rejects the module list, or cannot attach
    ///   the unwinding callbacks (with no vDSO image, it needs one module's ELF file to learn the architecture).
    init(pid: Int32, maps: ProcessMaps, modules: [UnwindModule], vdso: VDSOImage?) throws(SetupFailure) {
        guard let dwfl = dwfl_begin(CLibdw_unwindCallbacks()) else {
            throw SetupFailure(message: "dwfl_begin failed: \(Self.lastError())")
        }
        dwfl_report_begin(dwfl)
        for module in modules {
            guard let reported = dwfl_report_module(dwfl, module.name, module.start.rawValue, module.end.rawValue)
            else {
                let message = "dwfl_report_module \(module.name) failed: \(Self.lastError())"
                dwfl_end(dwfl)
                throw SetupFailure(message: message)
            }
            if module.source == .vdso, let vdso { CLibdw_setModuleImage(reported, vdso.image) }
        }
        guard dwfl_report_end(dwfl, nil, nil) == 0 else {
            let message = "dwfl_report_end failed: \(Self.lastError())"
            dwfl_end(dwfl)
            throw SetupFailure(message: message)
        }

        let snapshot = UnsafeMutablePointer<CLibdw_UnwindSnapshot>.allocate(capacity: 1)
        snapshot.initialize(to: CLibdw_UnwindSnapshot())
        guard dwfl_attach_state(dwfl, vdso?.elf, pid, CLibdw_unwindThreadCallbacks(), snapshot) else {
            let message = "dwfl_attach_state failed: \(Self.lastError())"
            dwfl_end(dwfl)
            snapshot.deallocate()
            throw SetupFailure(message: message)
        }
        self.pid = pid
        self.maps = maps
        self.modules = modules
        self.dwfl = dwfl
        self.snapshot = snapshot
        self.vdso = vdso
    }

    deinit {
        dwfl_end(dwfl)
        snapshot.deallocate()
    }

    /// The estimate ``UnwinderStatistics/approximateMemoryBytes`` documents.
    var approximateMemoryBytes: Int {
        10 * 1024 + modules.count * 512 + loadedModules.count * 8 * 1024 + pcKinds.count * 256
    }

    /// libdw's message for its most recent error on this thread.
    static func lastError() -> String {
        guard let message = dwfl_errmsg(-1) else { return "unknown libdw error" }
        return String(cString: message)
    }
}

extension ProcessUnwinder {
    /// Whether these modules, reported from `maps`, would be the ones this state holds; updates ``maps`` when so.
    ///
    /// Fast when `maps` shares its array storage with the maps seen last (the caller passed the same value again);
    /// otherwise derives the module list from `maps` and compares.
    func matches(_ maps: ProcessMaps, vdsoSize: Int?) -> Bool {
        let sameStorage =
            maps.mappings.count == self.maps.mappings.count
            && maps.mappings.withUnsafeBufferPointer { new in
                self.maps.mappings.withUnsafeBufferPointer { old in new.baseAddress == old.baseAddress }
            }
        if sameStorage { return true }
        guard UnwindModule.modules(of: maps, vdsoSize: vdsoSize) == modules else { return false }
        self.maps = maps
        return true
    }
}
