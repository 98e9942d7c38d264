/// One module reported to libdw for unwinding: an ELF file (or the vDSO) and the address range it occupies in a
/// process.
struct UnwindModule: Hashable {
    /// What backs the module.
    enum Source: Hashable {
        /// The file at this absolute path, opened lazily when a pc falls in the module.
        case file(String)
        /// The `[vdso]` mapping; its image is this process's own vDSO (see ``VDSOImage``).
        case vdso
    }

    var source: Source
    /// Where the file's offset 0 is mapped: libdw takes it as the address of the first loadable segment.
    var start: ProcessAddress
    /// One past the end of the file's last mapping.
    var end: ProcessAddress

    /// The name libdw knows the module by; for files, the path `find_elf` opens.
    var name: String {
        switch source {
        case .file(let path): path
        case .vdso: "[vdso]"
        }
    }

    /// The modules to report for `maps`, in address order.
    ///
    /// Consecutive mappings of one file (same path, device and inode, possibly with anonymous mappings such as
    /// `.bss` between them, as `dwfl_linux_proc_maps_report` groups them) form one module, reported only if one
    /// of them is executable: a pc can only be in executable code, and data files would cost a module each. A
    /// module starts where the file's offset 0 is (or would be) mapped, `start - offset` of its first mapping,
    /// which is the load bias for the usual layout where the first segment maps offset 0 at virtual address 0
    /// (PIE, shared objects) or at its own absolute address (`ET_EXEC`). Deleted files are left out: their path
    /// names nothing, or a different file. `[vdso]` is included when `vdsoSize` (the size of the image that will
    /// stand in for it) fits in the mapping.
    static func modules(of maps: ProcessMaps, vdsoSize: Int?) -> [UnwindModule] {
        var modules: [UnwindModule] = []
        var group: (first: MemoryMapping, module: UnwindModule, isExecutable: Bool)?

        func closeGroup() {
            if let current = group, current.isExecutable {
                var module = current.module
                // Never overlap the previous module, even when the first mapping of the file is missing.
                if let previous = modules.last, module.start < previous.end { module.start = previous.end }
                modules.append(module)
            }
            group = nil
        }

        for mapping in maps.mappings {
            if mapping.path == "[vdso]" {
                closeGroup()
                if let vdsoSize, mapping.size >= UInt64(vdsoSize) {
                    modules.append(UnwindModule(source: .vdso, start: mapping.start, end: mapping.end))
                }
                continue
            }
            guard mapping.isFileBacked, !mapping.isDeleted else { continue }
            if let current = group, current.first.path == mapping.path, current.first.inode == mapping.inode,
                current.first.device == mapping.device
            {
                group?.module.end = mapping.end
                group?.isExecutable = current.isExecutable || mapping.isExecutable
                continue
            }
            closeGroup()
            let offset = mapping.fileOffset.rawValue
            let start = mapping.start.rawValue >= offset ? mapping.start.rawValue - offset : mapping.start.rawValue
            group = (
                mapping,
                UnwindModule(source: .file(mapping.path), start: ProcessAddress(start), end: mapping.end),
                mapping.isExecutable
            )
        }
        closeGroup()
        return modules
    }
}
