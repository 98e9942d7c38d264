// C boundary for libdw/libelf and the C++ and Swift demanglers. Imported only by Symbolizer
// (`internal import CLibdw`); no type declared or used here may appear in a public Swift signature.
#ifndef SCORCH_CLIBDW_SHIM_H
#define SCORCH_CLIBDW_SHIM_H
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

/// glibc's malloc_trim(0): returns free heap pages to the system (not visible to Swift through Glibc).
static inline int CLibdw_trimHeap(void) { return malloc_trim(0); }

/// The C++ ABI demangler exported by libstdc++ (`abi::__cxa_demangle`, extern "C").
/// Returns a malloc'd string the caller frees, or NULL with `*status` != 0.
extern char *__cxa_demangle(const char *mangled_name, char *output_buffer, size_t *length, int *status);

/// The Swift demangler exported by libswiftCore. Returns a malloc'd string the caller frees
/// (when `outputBuffer` is NULL), or NULL when `mangledName` is not a Swift symbol.
extern char *swift_demangle(const char *mangledName, size_t mangledNameLength, char *outputBuffer,
                            size_t *outputBufferSize, uint32_t flags);

/// `Dwfl_Callbacks.find_debuginfo` that looks only on local disk: `dwfl_standard_find_debuginfo`, called only when
/// a separate debug file exists where it would look (by build ID under `/usr/lib/debug/.build-id/`, or by
/// `.gnu_debuglink` name next to the file, in its `.debug/` and under `/usr/lib/debug`). Otherwise libdw 0.188 falls
/// back to debuginfod, which loads libdebuginfod, libcurl and TLS libraries (~7 MB of RSS) even when no server is
/// configured. Returning -1 leaves libdw with the module's own DWARF, if it has any.
static inline int CLibdw_findLocalDebuginfo(Dwfl_Module *module, void **userdata, const char *moduleName,
                                            Dwarf_Addr base, const char *fileName, const char *debuglinkFile,
                                            GElf_Word debuglinkCRC, char **debuginfoFileName) {
    char path[4096];
    bool found = false;
    const unsigned char *bits = NULL;
    GElf_Addr vaddr = 0;
    int length = dwfl_module_build_id(module, &bits, &vaddr);
    if (length > 1) {
        int used = snprintf(path, sizeof path, "/usr/lib/debug/.build-id/%02x/", bits[0]);
        for (int i = 1; i < length && used < (int)sizeof path - 8; i++)
            used += snprintf(path + used, sizeof path - used, "%02x", bits[i]);
        snprintf(path + used, sizeof path - used, ".debug");
        found = access(path, R_OK) == 0;
    }
    if (!found && debuglinkFile != NULL && fileName != NULL) {
        const char *slash = strrchr(fileName, '/');
        int directoryLength = slash ? (int)(slash - fileName) : 0;
        const char *formats[] = {"%.*s/%s", "%.*s/.debug/%s", "/usr/lib/debug%.*s/%s"};
        for (int i = 0; i < 3 && !found; i++) {
            snprintf(path, sizeof path, formats[i], directoryLength, fileName, debuglinkFile);
            found = strcmp(path, fileName) != 0 && access(path, R_OK) == 0;
        }
    }
    if (!found) return -1;
    return dwfl_standard_find_debuginfo(module, userdata, moduleName, base, fileName, debuglinkFile, debuglinkCRC,
                                        debuginfoFileName);
}

/// Callbacks for an offline Dwfl, one ELF file per Dwfl reported with `dwfl_report_elf`.
///
/// Separate debug files are found by build ID under `/usr/lib/debug/.build-id/xx/yyyy.debug`, then by
/// `.gnu_debuglink` name next to the file, in its `.debug/` subdirectory and under `/usr/lib/debug`
/// (CRC-checked when found by name). The returned structure is static and outlives every Dwfl.
static inline const Dwfl_Callbacks *CLibdw_offlineCallbacks(void) {
    static char debuginfoPath[] = ":.debug:/usr/lib/debug";
    static char *debuginfoPathPointer = debuginfoPath;
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_build_id_find_elf,
        .find_debuginfo = CLibdw_findLocalDebuginfo,
        .section_address = dwfl_offline_section_address,
        .debuginfo_path = &debuginfoPathPointer,
    };
    return &callbacks;
}

/// A new, empty offline Dwfl using `CLibdw_offlineCallbacks()`; NULL on allocation failure.
/// Release with `dwfl_end`.
static inline Dwfl *CLibdw_beginOffline(void) { return dwfl_begin(CLibdw_offlineCallbacks()); }

/// The string value of attribute `name` on `die` itself; NULL when absent or not a string.
/// The string lives as long as the Dwarf it came from.
static inline const char *CLibdw_stringAttribute(Dwarf_Die *die, unsigned int name) {
    Dwarf_Attribute attribute;
    return dwarf_formstring(dwarf_attr(die, name, &attribute));
}

/// Like `CLibdw_stringAttribute`, but following `DW_AT_abstract_origin` and `DW_AT_specification`, so an
/// inlined or out-of-line instance reports its declaration's name.
static inline const char *CLibdw_integratedStringAttribute(Dwarf_Die *die, unsigned int name) {
    Dwarf_Attribute attribute;
    return dwarf_formstring(dwarf_attr_integrate(die, name, &attribute));
}

/// The unsigned constant value of attribute `name` on `die` itself into `*value`; false when absent.
static inline bool CLibdw_unsignedAttribute(Dwarf_Die *die, unsigned int name, Dwarf_Word *value) {
    Dwarf_Attribute attribute;
    return dwarf_formudata(dwarf_attr(die, name, &attribute), value) == 0;
}

// MARK: - Stack unwinding (Symbolizer/Unwinding)
//
// The callbacks libdw's unwinder (`dwfl_attach_state`, `dwfl_getthread_frames`) calls are C function pointers;
// they are defined here, so the per-frame memory reads never cross into Swift. They reach the sample being unwound
// through a `CLibdw_UnwindSnapshot` passed as the process's `dwfl_arg`.

/// The number of registers a snapshot holds, in DWARF x86-64 order: rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp,
/// r8–r15, rip.
#define CLibdw_UNWIND_REGISTER_COUNT 17
/// DWARF x86-64 register numbers of the stack pointer and the return address (instruction pointer).
#define CLibdw_UNWIND_REGISTER_SP 7
#define CLibdw_UNWIND_REGISTER_IP 16

/// The sample being unwound, as the unwinding callbacks see it.
///
/// One per Dwfl, at a stable address for the Dwfl's lifetime (it is the `dwfl_arg` of `dwfl_attach_state`). The
/// owner points `registers` and `stack` at the current sample just before `dwfl_getthread_frames` and clears
/// them after; libdw calls back only during that call.
typedef struct CLibdw_UnwindSnapshot {
    /// `CLibdw_UNWIND_REGISTER_COUNT` register values.
    const Dwarf_Word *registers;
    /// A copy of the user stack: `stackSize` bytes that were at addresses `[stackStart, stackStart + stackSize)`.
    const void *stack;
    Dwarf_Addr stackStart;
    size_t stackSize;
    /// Set by `memory_read` when it refused a read at or above `stackStart` that the copy does not cover: the
    /// unwinder needed more of the stack than was copied. The owner clears it before each unwind.
    bool readBeyondSnapshot;
} CLibdw_UnwindSnapshot;

/// An ELF image in memory (the vDSO), attached to a module as its `userdata` (see `CLibdw_setModuleImage`).
/// `bytes` must stay valid and unchanged for as long as any Dwfl holding the module exists.
typedef struct CLibdw_MemoryImage {
    const void *bytes;
    size_t size;
} CLibdw_MemoryImage;

/// `Dwfl_Thread_Callbacks.next_thread`: the one thread, whose id is the process id, then no more.
static inline pid_t CLibdw_unwindNextThread(Dwfl *dwfl, void *dwflArgument, void **threadArgument) {
    if (*threadArgument != NULL) return 0;
    *threadArgument = dwflArgument;
    return dwfl_pid(dwfl);
}

/// `Dwfl_Thread_Callbacks.get_thread`: the one thread whose id is the process id.
static inline bool CLibdw_unwindGetThread(Dwfl *dwfl, pid_t tid, void *dwflArgument, void **threadArgument) {
    if (tid != dwfl_pid(dwfl)) return false;
    *threadArgument = dwflArgument;
    return true;
}

/// `Dwfl_Thread_Callbacks.memory_read`: eight bytes at `address` from the stack copy; false (refused) for anything
/// the copy does not cover, noting reads above its start in `readBeyondSnapshot`.
static inline bool CLibdw_unwindMemoryRead(Dwfl *dwfl, Dwarf_Addr address, Dwarf_Word *result, void *argument) {
    (void)dwfl;
    CLibdw_UnwindSnapshot *snapshot = (CLibdw_UnwindSnapshot *)argument;
    if (address < snapshot->stackStart) return false;
    Dwarf_Addr offset = address - snapshot->stackStart;
    if (snapshot->stack == NULL || offset > snapshot->stackSize || snapshot->stackSize - offset < sizeof(Dwarf_Word)) {
        snapshot->readBeyondSnapshot = true;
        return false;
    }
    memcpy(result, (const unsigned char *)snapshot->stack + offset, sizeof(Dwarf_Word));
    return true;
}

/// `Dwfl_Thread_Callbacks.set_initial_registers`: the snapshot's registers, including the pc (register 16).
static inline bool CLibdw_unwindSetInitialRegisters(Dwfl_Thread *thread, void *threadArgument) {
    const CLibdw_UnwindSnapshot *snapshot = (const CLibdw_UnwindSnapshot *)threadArgument;
    if (snapshot->registers == NULL) return false;
    if (!dwfl_thread_state_registers(thread, 0, CLibdw_UNWIND_REGISTER_COUNT, snapshot->registers)) return false;
    dwfl_thread_state_register_pc(thread, snapshot->registers[CLibdw_UNWIND_REGISTER_IP]);
    return true;
}

/// The thread callbacks for `dwfl_attach_state`; static, so valid for every Dwfl's lifetime.
static inline const Dwfl_Thread_Callbacks *CLibdw_unwindThreadCallbacks(void) {
    static const Dwfl_Thread_Callbacks callbacks = {
        .next_thread = CLibdw_unwindNextThread,
        .get_thread = CLibdw_unwindGetThread,
        .memory_read = CLibdw_unwindMemoryRead,
        .set_initial_registers = CLibdw_unwindSetInitialRegisters,
    };
    return &callbacks;
}

/// `Dwfl_Callbacks.find_elf` for modules reported from captured maps: a module whose userdata is a
/// `CLibdw_MemoryImage` gets that image (`elf_memory`); any other module is opened by its name, the absolute path
/// from the maps, if it names a regular file. Nothing is read from `/proc/PID`, so the process may be gone.
static inline int CLibdw_unwindFindELF(Dwfl_Module *module, void **userdata, const char *name, Dwarf_Addr base,
                                       char **fileName, Elf **elf) {
    (void)module;
    (void)base;
    if (*userdata != NULL) {
        const CLibdw_MemoryImage *image = (const CLibdw_MemoryImage *)*userdata;
        *elf = elf_memory((char *)image->bytes, image->size);
        return -1;
    }
    struct stat status;
    if (name[0] != '/' || stat(name, &status) != 0 || !S_ISREG(status.st_mode)) return -1;
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    *fileName = strdup(name);
    if (*fileName == NULL) {
        close(fd);
        return -1;
    }
    return fd;
}

/// Callbacks for a Dwfl whose modules are reported from a process's captured maps (`dwfl_report_module`).
/// Separate debug files (for `.debug_frame`, consulted only where `.eh_frame` has no entry) are found as by
/// `CLibdw_offlineCallbacks`. Static, so valid for every Dwfl's lifetime.
static inline const Dwfl_Callbacks *CLibdw_unwindCallbacks(void) {
    static char debuginfoPath[] = ":.debug:/usr/lib/debug";
    static char *debuginfoPathPointer = debuginfoPath;
    static const Dwfl_Callbacks callbacks = {
        .find_elf = CLibdw_unwindFindELF,
        .find_debuginfo = CLibdw_findLocalDebuginfo,
        .debuginfo_path = &debuginfoPathPointer,
    };
    return &callbacks;
}

/// Makes `image` the ELF of `module` (see `CLibdw_unwindFindELF`); call right after `dwfl_report_module`.
static inline void CLibdw_setModuleImage(Dwfl_Module *module, const CLibdw_MemoryImage *image) {
    void **userdata = NULL;
    dwfl_module_info(module, &userdata, NULL, NULL, NULL, NULL, NULL, NULL);
    if (userdata != NULL) *userdata = (void *)image;
}

/// Whether `module`'s ELF file has been opened (a pc in it was looked up).
static inline bool CLibdw_moduleIsLoaded(Dwfl_Module *module) {
    Dwarf_Addr symbolBias = (Dwarf_Addr)-1;
    const char *mainFile = NULL;
    dwfl_module_info(module, NULL, NULL, NULL, NULL, &symbolBias, &mainFile, NULL);
    return mainFile != NULL;
}

/// This process's own vDSO image (`AT_SYSINFO_EHDR`) and its size in bytes (through the section headers, which
/// the kernel's image ends with); NULL when there is none or its header is not ELF64. The vDSO is the same for
/// every 64-bit process on this kernel, so it stands in for the vDSO of processes that have exited.
static inline const void *CLibdw_ownVDSOImage(size_t *size) {
    const unsigned char *image = (const unsigned char *)(uintptr_t)getauxval(AT_SYSINFO_EHDR);
    if (image == NULL || memcmp(image, ELFMAG, SELFMAG) != 0 || image[EI_CLASS] != ELFCLASS64) return NULL;
    const Elf64_Ehdr *header = (const Elf64_Ehdr *)(const void *)image;
    size_t end = (size_t)header->e_shoff + (size_t)header->e_shnum * header->e_shentsize;
    const Elf64_Phdr *programHeaders = (const Elf64_Phdr *)(const void *)(image + header->e_phoff);
    for (unsigned index = 0; index < header->e_phnum; index++) {
        size_t segmentEnd = (size_t)(programHeaders[index].p_offset + programHeaders[index].p_filesz);
        if (segmentEnd > end) end = segmentEnd;
    }
    *size = end;
    return image;
}

/// What CFI says about unwinding from one pc (see `CLibdw_classifyUnwindPC`).
typedef enum CLibdw_UnwindPCKind {
    /// No reported module contains the pc.
    CLibdw_UnwindPCNoModule = 0,
    /// The module has no CFI entry (`.eh_frame` or `.debug_frame`) covering the pc, or its ELF cannot be opened.
    CLibdw_UnwindPCNoCFI = 1,
    /// CFI covers the pc and says the return address is undefined: the outermost frame (`_start`, thread start).
    CLibdw_UnwindPCOutermost = 2,
    /// CFI covers the pc and defines the return address.
    CLibdw_UnwindPCUnwindable = 3,
} CLibdw_UnwindPCKind;

/// The kind of `address` (module-relative, bias removed) in `cfi`, or -1 when no entry covers it.
static inline int CLibdw_classifyInCFI(Dwarf_CFI *cfi, Dwarf_Addr address) {
    Dwarf_Frame *frame = NULL;
    if (dwarf_cfi_addrframe(cfi, address, &frame) != 0) return -1;
    Dwarf_Addr start = 0, end = 0;
    bool signalFrame = false;
    int returnAddressRegister = dwarf_frame_info(frame, &start, &end, &signalFrame);
    Dwarf_Op storage[3];
    Dwarf_Op *operations = NULL;
    size_t operationCount = 0;
    int kind = CLibdw_UnwindPCUnwindable;
    if (returnAddressRegister >= 0
        && dwarf_frame_register(frame, returnAddressRegister, storage, &operations, &operationCount) == 0
        && operationCount == 0 && operations == storage)
        kind = CLibdw_UnwindPCOutermost;
    free(frame);
    return kind;
}

/// What the CFI libdw's unwinder would use says about `pc` (already adjusted: a return address minus one), looked
/// up the way libdw does: `.eh_frame` first, then `.debug_frame`. `*module` receives the containing module or NULL.
static inline CLibdw_UnwindPCKind CLibdw_classifyUnwindPC(Dwfl *dwfl, Dwarf_Addr pc, Dwfl_Module **module) {
    *module = dwfl_addrmodule(dwfl, pc);
    if (*module == NULL) return CLibdw_UnwindPCNoModule;
    Dwarf_Addr bias = 0;
    Dwarf_CFI *cfi = dwfl_module_eh_cfi(*module, &bias);
    int kind = cfi != NULL ? CLibdw_classifyInCFI(cfi, pc - bias) : -1;
    if (kind < 0) {
        cfi = dwfl_module_dwarf_cfi(*module, &bias);
        kind = cfi != NULL ? CLibdw_classifyInCFI(cfi, pc - bias) : -1;
    }
    return kind < 0 ? CLibdw_UnwindPCNoCFI : (CLibdw_UnwindPCKind)kind;
}

#endif
