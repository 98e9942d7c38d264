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

/// Load-time configuration: the loader writes it into the `config` global of .rodata before the verifier runs, so
/// the program's filters are constants to the verifier.
struct scorch_config {
    __u32 target_pid_count;                     // 0: every process
    __u32 target_pids[SCORCH_MAX_TARGET_PIDS];  // tgids to sample when target_pid_count > 0
    __u8 include_idle;                          // record pid 0 (the idle task) too
    __u8 reserved[3];
};

/// Aggregation key of the counts map: one entry per distinct (thread, stacks) seen.
struct scorch_sample_key {
    __u32 pid;              // tgid, the process
    __u32 tid;              // the thread
    __s32 user_stack_id;    // id in the stacks map, or -errno from bpf_get_stackid
    __s32 kernel_stack_id;  // id in the stacks map, or -errno from bpf_get_stackid
    char comm[SCORCH_TASK_COMM_LEN];
};

/// Indices of the per-CPU counters array. Every sample the program sees ends in exactly one of
/// RECORDED, IDLE, FILTERED or COUNTS_MAP_FULL; the stack outcomes are counted on top of that.
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
    SCORCH_COUNTER_MAX
};

#endif
