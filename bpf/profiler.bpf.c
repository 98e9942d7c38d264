// SPDX-License-Identifier: GPL-2.0
// Scorch's sampler: a perf_event program run by a cpu-clock event on every CPU. Each sample adds one to the count
// of its (pid, tid, comm, user stack, kernel stack) key. Every outcome that loses data is counted by reason.
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/ptrace.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>

#include "profiler.h"

char LICENSE[] SEC("license") = "GPL";

// Load-time configuration, frozen by the loader before the verifier sees the program.
const volatile struct scorch_config config = {};

// Two sets of (stacks, counts) maps: the program records into the set named by control[0], so user space can flip
// sets and drain the idle one while sampling goes on. Sizes are set by the loader before load.
struct stack_map {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(max_entries, 16384);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, SCORCH_MAX_STACK_DEPTH * sizeof(__u64));
};
struct stack_map stacks_0 SEC(".maps");
struct stack_map stacks_1 SEC(".maps");

struct count_map {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, struct scorch_sample_key);
    __type(value, __u64);
};
struct count_map counts_0 SEC(".maps");
struct count_map counts_1 SEC(".maps");

// control[0]: the active map set (0 or 1), written by user space.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} control SEC(".maps");

// Snapshots for DWARF unwinding; size set by the loader.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 8 * 1024 * 1024);
} snapshots SEC(".maps");

// Processes whose frame-pointer stacks user space found complete (auto mode): they take the cheap path.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u32);
    __type(value, __u8);
} fp_complete SEC(".maps");

// Where a snapshot is assembled before it is copied to the ring buffer. Twice the largest stack, so every chunk the
// copy loop may read at an offset below the maximum provably fits.
struct scratch_snapshot {
    struct scorch_snapshot_header header;
    __u8 stack[2 * SCORCH_MAX_SNAPSHOT_BYTES];
};

// One slot per CPU (per-CPU maps cap values at 32 KiB); the loader sizes it to the possible CPUs, and the program
// never re-enters itself on one CPU.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct scratch_snapshot);
} scratch SEC(".maps");

// Processes already announced to user space through new_pids. User space deletes a pid when it forgets the
// process, so a reused pid is announced again; an LRU map, so on a host with more sampled processes than entries
// the least recently sampled are evicted and announced again when next sampled (harmless: user space knows them).
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 32768);
    __type(key, __u32);
    __type(value, __u8);
} known_pids SEC(".maps");

// One __u32 pid per process sampled for the first time, so user space reads its maps at once instead of scanning
// the counts maps.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 * 1024);
} new_pids SEC(".maps");

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

// Tells user space about a process the first time it is sampled. When the ring buffer is full the pid is dropped
// from known_pids again, so its next sample retries.
static __always_inline void announce(__u32 pid) {
    if (pid == 0 || bpf_map_lookup_elem(&known_pids, &pid)) return;
    __u8 one = 1;
    if (bpf_map_update_elem(&known_pids, &pid, &one, BPF_NOEXIST) != 0) return;  // another CPU was first
    if (bpf_ringbuf_output(&new_pids, &pid, sizeof pid, 0) != 0) {
        count(SCORCH_COUNTER_NEW_PID_LOST);
        bpf_map_delete_elem(&known_pids, &pid);
    }
}

static __always_inline int pid_is_targeted(__u32 pid) {
    if (config.target_pid_count == 0) return 1;
    for (__u32 i = 0; i < SCORCH_MAX_TARGET_PIDS; i++) {
        if (i >= config.target_pid_count) break;
        if (config.target_pids[i] == pid) return 1;
    }
    return 0;
}

struct task_struct;
// bpf_task_pt_regs (kernel 5.15) is newer than Debian's libbpf headers.
static struct pt_regs *(*task_pt_regs)(struct task_struct *task) = (void *)175;
static struct task_struct *(*current_task_btf)(void) = (void *)158;

static __always_inline int wants_snapshot(__u32 pid) {
    if (config.unwind_mode == SCORCH_UNWIND_DWARF) return 1;
    if (config.unwind_mode != SCORCH_UNWIND_AUTO) return 0;
    return bpf_map_lookup_elem(&fp_complete, &pid) == NULL;
}

static __always_inline void copy_registers(struct scratch_snapshot *snapshot, const struct pt_regs *regs) {
    snapshot->header.regs[0] = regs->rax;
    snapshot->header.regs[1] = regs->rdx;
    snapshot->header.regs[2] = regs->rcx;
    snapshot->header.regs[3] = regs->rbx;
    snapshot->header.regs[4] = regs->rsi;
    snapshot->header.regs[5] = regs->rdi;
    snapshot->header.regs[6] = regs->rbp;
    snapshot->header.regs[7] = regs->rsp;
    snapshot->header.regs[8] = regs->r8;
    snapshot->header.regs[9] = regs->r9;
    snapshot->header.regs[10] = regs->r10;
    snapshot->header.regs[11] = regs->r11;
    snapshot->header.regs[12] = regs->r12;
    snapshot->header.regs[13] = regs->r13;
    snapshot->header.regs[14] = regs->r14;
    snapshot->header.regs[15] = regs->r15;
    snapshot->header.regs[16] = regs->rip;
}

struct copy_state {
    __u64 sp;
    __u32 copied;
    __u32 chunk;
};

// One step of the stack copy, run by bpf_loop (so the verifier checks it once, whatever each read returns): reads
// the next `chunk` bytes if they are all readable, then halves the chunk.
static long copy_chunk(__u32 index, void *context) {
    (void)index;
    struct copy_state *state = context;
    __u32 chunk = state->chunk;
    if (chunk == 0 || chunk > SCORCH_MAX_SNAPSHOT_BYTES) return 1;
    state->chunk = chunk >> 1;
    __u32 cpu = bpf_get_smp_processor_id();
    struct scratch_snapshot *snapshot = bpf_map_lookup_elem(&scratch, &cpu);
    if (!snapshot) return 1;
    __u32 offset = state->copied & (SCORCH_MAX_SNAPSHOT_BYTES - 1);
    if (bpf_probe_read_user(&snapshot->stack[offset], chunk, (const void *)(state->sp + offset)) == 0)
        state->copied += chunk;
    return 0;
}

// Copies up to config.snapshot_bytes of user stack from sp. A single read of a range that runs past the end of the
// stack fails whole, so the copy goes in halving power-of-two chunks, each tried once: it stops within a few bytes
// of the readable end.
static __always_inline __u32 copy_stack(__u64 sp) {
    struct copy_state state = {.sp = sp, .copied = 0, .chunk = config.snapshot_bytes};
    bpf_loop(32, copy_chunk, &state, 0);
    return state.copied;
}

// Sends a snapshot of the current thread's user state. Returns 1 when the sample is fully handled, 0 when it must
// go through the counts map instead (no user registers).
static __always_inline int send_snapshot(struct bpf_perf_event_data *ctx, struct scorch_sample_key *key, int set) {
    __u32 cpu = bpf_get_smp_processor_id();
    struct scratch_snapshot *snapshot = bpf_map_lookup_elem(&scratch, &cpu);
    if (!snapshot) return 0;
    if (key->user_stack_id == -EFAULT) {  // a kernel thread: no user state to unwind
        count(SCORCH_COUNTER_SNAPSHOT_NO_USER_REGS);
        return 0;
    }
    snapshot->header.flags = 0;
    if ((ctx->regs.cs & 3) == 3) {
        copy_registers(snapshot, (const struct pt_regs *)&ctx->regs);
    } else {
        // In kernel mode: the user registers saved at kernel entry.
        struct pt_regs *user = task_pt_regs(current_task_btf());
        if (!user) {
            count(SCORCH_COUNTER_SNAPSHOT_NO_USER_REGS);
            return 0;
        }
        struct pt_regs regs;
        if (bpf_probe_read_kernel(&regs, sizeof regs, user) != 0) {
            count(SCORCH_COUNTER_SNAPSHOT_NO_USER_REGS);
            return 0;
        }
        copy_registers(snapshot, &regs);
        snapshot->header.flags |= SCORCH_SNAPSHOT_FROM_KERNEL_MODE;
    }
    snapshot->header.pid = key->pid;
    snapshot->header.tid = key->tid;
    __builtin_memcpy(snapshot->header.comm, key->comm, sizeof snapshot->header.comm);
    snapshot->header.user_stack_id = key->user_stack_id;
    snapshot->header.kernel_stack_id = key->kernel_stack_id;
    snapshot->header.stack_set = set;
    __u32 copied = copy_stack(snapshot->header.regs[7]);
    if (copied < config.snapshot_bytes) count(SCORCH_COUNTER_SNAPSHOT_SHORT_STACK);
    snapshot->header.stack_size = copied;

    if (copied > SCORCH_MAX_SNAPSHOT_BYTES) copied = SCORCH_MAX_SNAPSHOT_BYTES;
    __u64 size = sizeof(struct scorch_snapshot_header) + copied;
    if (bpf_ringbuf_output(&snapshots, snapshot, size, 0) != 0) {
        count(SCORCH_COUNTER_SNAPSHOT_RINGBUF_FULL);
        return 1;
    }
    count(SCORCH_COUNTER_SNAPSHOTS);
    return 1;
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
    if (pid != 0 && pid == config.exclude_pid) {
        count(SCORCH_COUNTER_EXCLUDED);
        return 0;
    }
    if (!pid_is_targeted(pid)) {
        count(SCORCH_COUNTER_FILTERED);
        return 0;
    }

    announce(pid);

    struct scorch_sample_key key = {.pid = pid, .tid = tid};
    bpf_get_current_comm(&key.comm, sizeof key.comm);

    __u32 zero = 0;
    __u32 *active = bpf_map_lookup_elem(&control, &zero);
    int set = active && *active == 1;
    void *stacks = set ? (void *)&stacks_1 : (void *)&stacks_0;
    void *counts = set ? (void *)&counts_1 : (void *)&counts_0;

    long user = bpf_get_stackid(ctx, stacks, BPF_F_USER_STACK);
    if (user < 0) count_stack_error(user, SCORCH_COUNTER_USER_STACK_COLLISION);
    key.user_stack_id = (__s32)user;

    long kernel = bpf_get_stackid(ctx, stacks, 0);
    if (kernel < 0) count_stack_error(kernel, SCORCH_COUNTER_KERNEL_STACK_COLLISION);
    key.kernel_stack_id = (__s32)kernel;

    if (wants_snapshot(pid) && send_snapshot(ctx, &key, set)) return 0;

    __u64 *existing = bpf_map_lookup_elem(counts, &key);
    if (existing) {
        __sync_fetch_and_add(existing, 1);
    } else {
        __u64 one = 1;
        // BPF_NOEXIST: if another CPU inserted the key meanwhile, add to its value instead.
        if (bpf_map_update_elem(counts, &key, &one, BPF_NOEXIST) != 0) {
            existing = bpf_map_lookup_elem(counts, &key);
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
