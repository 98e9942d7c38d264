/// The file-backed part of one `PT_LOAD` program header: how file offsets map to ELF addresses.
struct LoadSegment: Hashable {
    /// `p_offset`.
    var fileOffset: UInt64
    /// `p_filesz`: bytes of the segment present in the file (the rest, up to `p_memsz`, is zero-filled).
    var fileSize: UInt64
    /// `p_vaddr`.
    var virtualAddress: UInt64
    /// `p_flags & PF_X`.
    var isExecutable: Bool

    /// Whether `offset` is in `[p_offset, p_offset + p_filesz)`.
    func contains(_ offset: FileOffset) -> Bool {
        offset.rawValue >= fileOffset && offset.rawValue - fileOffset < fileSize
    }

    /// `offset - p_offset + p_vaddr`; meaningful only when ``contains(_:)``.
    func elfAddress(of offset: FileOffset) -> ELFAddress {
        ELFAddress(offset.rawValue - fileOffset &+ virtualAddress)
    }
}

extension Array where Element == LoadSegment {
    /// The ELF address that `offset` is loaded at, through the segment containing it (an executable one when
    /// segments overlap in the file); nil when no segment's file part contains it.
    func elfAddress(of offset: FileOffset) -> ELFAddress? {
        var found: LoadSegment?
        for segment in self where segment.contains(offset) {
            if segment.isExecutable { return segment.elfAddress(of: offset) }
            if found == nil { found = segment }
        }
        return found?.elfAddress(of: offset)
    }
}
