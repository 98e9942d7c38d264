internal import CLibdw

/// A private copy of this process's vDSO, standing in for the `[vdso]` mapping of the processes being unwound.
///
/// The kernel maps the same vDSO image into every 64-bit process (only its address differs), so this process's
/// copy has the `.eh_frame` needed to unwind a sample taken inside `clock_gettime` or `gettimeofday` of any
/// process, even one that has exited; nothing is read from `/proc/PID/mem`.
///
/// Its memory and ELF handle must outlive every `Dwfl` that reported it: each ``ProcessUnwinder`` keeps a strong
/// reference and ends its `Dwfl` in `deinit` before the reference is released. Not thread-safe.
final class VDSOImage {
    /// The image's size in bytes.
    let size: Int
    /// The `CLibdw_MemoryImage` attached to `[vdso]` modules as their userdata.
    let image: UnsafeMutablePointer<CLibdw_MemoryImage>
    /// An ELF handle on the copy; its machine (x86-64) is what `dwfl_attach_state` needs.
    let elf: OpaquePointer
    private let bytes: UnsafeMutableRawPointer

    /// Copies this process's vDSO; nil when it has none (e.g. booted with `vdso=0`) or libelf rejects it.
    init?() {
        var size = 0
        guard let own = CLibdw_ownVDSOImage(&size), size > 0 else { return nil }
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        bytes.copyMemory(from: own, byteCount: size)
        _ = elf_version(UInt32(EV_CURRENT))
        guard let elf = elf_memory(bytes.bindMemory(to: CChar.self, capacity: size), size) else {
            bytes.deallocate()
            return nil
        }
        let image = UnsafeMutablePointer<CLibdw_MemoryImage>.allocate(capacity: 1)
        image.initialize(to: CLibdw_MemoryImage(bytes: UnsafeRawPointer(bytes), size: size))
        self.size = size
        self.bytes = bytes
        self.elf = elf
        self.image = image
    }

    deinit {
        elf_end(elf)
        image.deallocate()
        bytes.deallocate()
    }
}
