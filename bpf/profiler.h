// The one kernel/user ABI of Scorch: included by profiler.bpf.c and, through the CProfilerABI module, by Swift.
// Never mirror these layouts by hand elsewhere.
#ifndef SCORCH_PROFILER_H
#define SCORCH_PROFILER_H

#include <linux/types.h>

#define SCORCH_TASK_COMM_LEN 16
/// Upper bound of --pid filters (load-time .rodata).
#define SCORCH_MAX_TARGET_PIDS 64
/// Kernel default of kernel.perf_event_max_stack; a stack map's value size may not exceed it.
#define SCORCH_MAX_STACK_DEPTH 127

/// The largest user-stack snapshot (bytes from the user stack pointer up) sent for DWARF unwinding.
#define SCORCH_MAX_SNAPSHOT_BYTES (64 * 1024)
/// Registers copied with a snapshot, in DWARF x86-64 order: ax dx cx bx si di bp sp r8..r15 ip.
#define SCORCH_SNAPSHOT_REGISTERS 17

/// How user stacks are captured.
enum scorch_unwind_mode {
    SCORCH_UNWIND_FP = 0,    // frame pointers only, walked in the kernel and aggregated in the counts map
    SCORCH_UNWIND_DWARF = 1, // every sample sends a snapshot for DWARF unwinding in user space
    SCORCH_UNWIND_AUTO = 2,  // snapshots until user space marks the process frame-pointer-complete in fp_complete
};

/// Load-time configuration: the loader writes it into the `config` global of .rodata before the verifier runs, so
/// the program's filters are constants to the verifier.
struct scorch_config {
    __u32 target_pid_count;                     // 0: every process
    __u32 target_pids[SCORCH_MAX_TARGET_PIDS];  // tgids to sample when target_pid_count > 0
    __u8 include_idle;                          // record pid 0 (the idle task) too
    __u8 unwind_mode;                           // enum scorch_unwind_mode
    __u8 reserved[2];
    __u32 snapshot_bytes;                       // bytes of user stack per snapshot, a power of two ≤ the maximum
    __u32 exclude_pid;                          // a tgid never recorded (the profiler itself), 0 for none
};

/// The fixed part of a snapshot record (what Swift decodes; the stack bytes follow it).
struct scorch_snapshot_header {
    __u32 pid;
    __u32 tid;
    char comm[SCORCH_TASK_COMM_LEN];
    __s32 user_stack_id;    // the frame-pointer stack of the same sample (or -errno), for the auto mode
    __s32 kernel_stack_id;  // as in scorch_sample_key
    __u32 stack_size;       // bytes of stack copied; less than asked when the stack ends sooner or is unreadable
    __u32 flags;            // SCORCH_SNAPSHOT_*
    __u32 stack_set;        // the map set (stacks_0 or stacks_1) holding the stack ids
    __u32 reserved;
    __u64 regs[SCORCH_SNAPSHOT_REGISTERS];
};

/// A sample sent through the snapshots ring buffer for DWARF unwinding: the thread's user registers and the top of
/// its user stack, starting at regs[7] (sp). Only the header and the first `header.stack_size` bytes are sent.
struct scorch_snapshot {
    struct scorch_snapshot_header header;
    __u8 stack[SCORCH_MAX_SNAPSHOT_BYTES];
};

_Static_assert(__builtin_offsetof(struct scorch_snapshot, stack) == sizeof(struct scorch_snapshot_header),
               "the stack bytes follow the header directly");

#define SCORCH_SNAPSHOT_FROM_KERNEL_MODE 1  // the sample hit kernel mode; regs are the task's saved user regs

/// Aggregation key of the counts map: one entry per distinct (thread, stacks) seen.
struct scorch_sample_key {
    __u32 pid;              // tgid, the process
    __u32 tid;              // the thread
    __s32 user_stack_id;    // id in the stacks map, or -errno from bpf_get_stackid
    __s32 kernel_stack_id;  // id in the stacks map, or -errno from bpf_get_stackid
    char comm[SCORCH_TASK_COMM_LEN];
};

/// Indices of the per-CPU counters array. Every sample the program sees ends in exactly one of
/// RECORDED, IDLE, EXCLUDED, FILTERED or COUNTS_MAP_FULL; the stack outcomes are counted on top of that.
enum scorch_counter {
    SCORCH_COUNTER_SAMPLES = 0,           // program invocations
    SCORCH_COUNTER_RECORDED,              // samples added to the counts map
    SCORCH_COUNTER_IDLE,                  // pid 0 (idle task) samples not recorded
    SCORCH_COUNTER_FILTERED,              // samples outside the --pid filter
    SCORCH_COUNTER_COUNTS_MAP_FULL,       // counts map had no room for a new key: sample lost
    SCORCH_COUNTER_USER_STACK_COLLISION,  // -EEXIST: hash bucket held another stack; user stack lost
    SCORCH_COUNTER_USER_STACK_MAP_FULL,   // -ENOMEM: stacks map full; user stack lost
    SCORCH_COUNTER_USER_STACK_NONE,       // -EFAULT: no user stack (kernel thread); not a loss
    SCORCH_COUNTER_USER_STACK_OTHER,      // any other error; user stack lost
    SCORCH_COUNTER_KERNEL_STACK_COLLISION,
    SCORCH_COUNTER_KERNEL_STACK_MAP_FULL,
    SCORCH_COUNTER_KERNEL_STACK_NONE,     // -EFAULT: sample taken in user mode; not a loss
    SCORCH_COUNTER_KERNEL_STACK_OTHER,
    SCORCH_COUNTER_SNAPSHOTS,             // snapshots sent for DWARF unwinding (these samples skip the counts map)
    SCORCH_COUNTER_SNAPSHOT_RINGBUF_FULL, // the ring buffer had no room: sample lost
    SCORCH_COUNTER_SNAPSHOT_NO_USER_REGS, // no user registers (kernel thread): recorded through the counts map
    SCORCH_COUNTER_SNAPSHOT_SHORT_STACK,  // the stack copy stopped early (end of stack or unreadable page)
    SCORCH_COUNTER_NEW_PID_LOST,          // the new_pids ring buffer was full; announced again on a later sample
    SCORCH_COUNTER_EXCLUDED,              // samples of config.exclude_pid (the profiler itself), not recorded
    SCORCH_COUNTER_MAX
};

#endif
