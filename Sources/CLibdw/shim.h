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
#include <stdlib.h>

/// The C++ ABI demangler exported by libstdc++ (`abi::__cxa_demangle`, extern "C").
/// Returns a malloc'd string the caller frees, or NULL with `*status` != 0.
extern char *__cxa_demangle(const char *mangled_name, char *output_buffer, size_t *length, int *status);

/// The Swift demangler exported by libswiftCore. Returns a malloc'd string the caller frees
/// (when `outputBuffer` is NULL), or NULL when `mangledName` is not a Swift symbol.
extern char *swift_demangle(const char *mangledName, size_t mangledNameLength, char *outputBuffer,
                            size_t *outputBufferSize, uint32_t flags);

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
        .find_debuginfo = dwfl_standard_find_debuginfo,
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

#endif
