// SPDX-License-Identifier: GPL-2.0
// Scorch's sampler: a perf_event program run by a cpu-clock event on every CPU. Each sample adds one to the count
// of its (pid, tid, comm, user stack, kernel stack) key. Every outcome that loses data is counted by reason.
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>

#include "profiler.h"

char LICENSE[] SEC("license") = "GPL";

// Load-time configuration, frozen by the loader before the verifier sees the program.
const volatile struct scorch_config config = {};

// Sizes are set by the loader (bpf_map__set_max_entries / set_value_size) before load.
struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(max_entries, 16384);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, SCORCH_MAX_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, struct scorch_sample_key);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SCORCH_COUNTER_MAX);
    __type(key, __u32);
    __type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 counter) {
    __u64 *value = bpf_map_lookup_elem(&counters, &counter);
    if (value) *value += 1;
}

static __always_inline void count_stack_error(long error, __u32 first_counter) {
    // first_counter is the COLLISION counter of the user or kernel group; the group's order is fixed above.
    if (error == -EEXIST) count(first_counter);
    else if (error == -ENOMEM) count(first_counter + 1);
    else if (error == -EFAULT) count(first_counter + 2);
    else count(first_counter + 3);
}

static __always_inline int pid_is_targeted(__u32 pid) {
    if (config.target_pid_count == 0) return 1;
    for (__u32 i = 0; i < SCORCH_MAX_TARGET_PIDS; i++) {
        if (i >= config.target_pid_count) break;
        if (config.target_pids[i] == pid) return 1;
    }
    return 0;
}

SEC("perf_event")
int scorch_sample(struct bpf_perf_event_data *ctx) {
    count(SCORCH_COUNTER_SAMPLES);

    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u32 pid = pid_tgid >> 32;
    __u32 tid = (__u32)pid_tgid;

    if (pid == 0 && !config.include_idle) {
        count(SCORCH_COUNTER_IDLE);
        return 0;
    }
    if (!pid_is_targeted(pid)) {
        count(SCORCH_COUNTER_FILTERED);
        return 0;
    }

    struct scorch_sample_key key = {.pid = pid, .tid = tid};
    bpf_get_current_comm(&key.comm, sizeof key.comm);

    long user = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
    if (user < 0) count_stack_error(user, SCORCH_COUNTER_USER_STACK_COLLISION);
    key.user_stack_id = (__s32)user;

    long kernel = bpf_get_stackid(ctx, &stacks, 0);
    if (kernel < 0) count_stack_error(kernel, SCORCH_COUNTER_KERNEL_STACK_COLLISION);
    key.kernel_stack_id = (__s32)kernel;

    __u64 *existing = bpf_map_lookup_elem(&counts, &key);
    if (existing) {
        __sync_fetch_and_add(existing, 1);
    } else {
        __u64 one = 1;
        // BPF_NOEXIST: if another CPU inserted the key meanwhile, add to its value instead.
        if (bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST) != 0) {
            existing = bpf_map_lookup_elem(&counts, &key);
            if (!existing) {
                count(SCORCH_COUNTER_COUNTS_MAP_FULL);
                return 0;
            }
            __sync_fetch_and_add(existing, 1);
        }
    }
    count(SCORCH_COUNTER_RECORDED);
    return 0;
}
