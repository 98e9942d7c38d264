// C boundary for libbpf and perf_event_open. Imported only by BPFRuntime.
// Macros and variadic calls Swift cannot import become static inline functions prefixed CLibbpf_.
#ifndef SCORCH_CLIBBPF_SHIM_H
#define SCORCH_CLIBBPF_SHIM_H

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/// perf_event_open(2); glibc has no wrapper and syscall() is variadic.
static inline int CLibbpf_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
                                          unsigned long flags) {
    return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

/// bpf_object__open_mem with a name, hiding LIBBPF_OPTS.
static inline struct bpf_object *CLibbpf_open_mem(const void *data, size_t size, const char *name) {
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name);
    return bpf_object__open_mem(data, size, &opts);
}

/// The BTF id of data section `name` (e.g. ".rodata"), or a negative error.
static inline __s32 CLibbpf_find_datasec(const struct btf *btf, const char *name) {
    return btf__find_by_name_kind(btf, name, BTF_KIND_DATASEC);
}

#endif
