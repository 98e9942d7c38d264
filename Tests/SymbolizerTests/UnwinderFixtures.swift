import Foundation

/// Programs the unwinder tests compile once per test run. Each takes a snapshot of its own stack the way the
/// sampler does (17 registers in DWARF order, the stack copied from rsp up), writes it to a directory with its
/// `/proc/self/maps`, and exits: the unwinder must not need the process to still exist.
struct UnwinderFixtures: Sendable {
    /// `gcc -O2 -g -fomit-frame-pointer`: CFI in `.eh_frame`, and DWARF.
    let withDebugInfo: String
    /// `gcc -O2 -g0 -fomit-frame-pointer`: CFI in `.eh_frame`, no DWARF at all.
    let withoutDebugInfo: String
    /// `gcc -O2 -g -fomit-frame-pointer -fno-asynchronous-unwind-tables`: the program's own functions have CFI
    /// only in `.debug_frame` (`.eh_frame` keeps only the C runtime's `_start`).
    let debugFrameOnly: String
    /// `scorch_snapshot` alone in a shared object (`-DSCORCH_SNAPSHOT_LIBRARY`), for interpreters to call.
    let snapshotLibrary: String
    let directory: String

    /// `PROGRAM chain DIR`: main → level1 → … → level5, which takes the snapshot.
    /// `PROGRAM recurse DIR`: `recurse` 2000 + argc deep, whose innermost call takes the snapshot.
    /// `PROGRAM thread DIR`: the same chain on a new thread: start_thread → thread_main → level1 → … → level5.
    /// `PROGRAM signal DIR`: main → signal_caller → raise, then in the SIGUSR1 handler: signal_handler → level5.
    /// Compiled with `-DSCORCH_SNAPSHOT_LIBRARY`, only `scorch_snapshot(DIR)`: a snapshot of its callers.
    ///
    /// `take_snapshot` stores the registers as they are after it returns to its caller (rip = its return address,
    /// rsp = rsp + 8), a valid place to start unwinding the caller. Written files: `registers.bin` (17 × u64, little
    /// endian), `stack.bin` (up to 64 KiB from rsp, ending at the end of the mapping that holds rsp), `maps.txt`,
    /// and `extra.txt` (`pid N`, and `vdso_clock_gettime ADDRESS` in decimal, 0 when the vDSO symbol is not found).
    static let source = #"""
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <pthread.h>
        #include <signal.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>

        void take_snapshot(uint64_t registers[17]);
        __asm__(".text\n"
                ".globl take_snapshot\n"
                ".type take_snapshot, @function\n"
                "take_snapshot:\n"
                ".cfi_startproc\n"
                "  movq %rax, 0(%rdi)\n"
                "  movq %rdx, 8(%rdi)\n"
                "  movq %rcx, 16(%rdi)\n"
                "  movq %rbx, 24(%rdi)\n"
                "  movq %rsi, 32(%rdi)\n"
                "  movq %rdi, 40(%rdi)\n"
                "  movq %rbp, 48(%rdi)\n"
                "  leaq 8(%rsp), %rax\n"
                "  movq %rax, 56(%rdi)\n"
                "  movq %r8, 64(%rdi)\n"
                "  movq %r9, 72(%rdi)\n"
                "  movq %r10, 80(%rdi)\n"
                "  movq %r11, 88(%rdi)\n"
                "  movq %r12, 96(%rdi)\n"
                "  movq %r13, 104(%rdi)\n"
                "  movq %r14, 112(%rdi)\n"
                "  movq %r15, 120(%rdi)\n"
                "  movq (%rsp), %rax\n"
                "  movq %rax, 128(%rdi)\n"
                "  movq 0(%rdi), %rax\n"
                "  ret\n"
                ".cfi_endproc\n"
                ".size take_snapshot, .-take_snapshot\n");

        static const char *output_directory;
        static uint64_t registers[17];
        static unsigned char stack_copy[65536];
        static char maps_text[1 << 20];
        volatile int sink;

        static void write_file(const char *name, const void *bytes, size_t size) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", output_directory, name);
            FILE *file = fopen(path, "wb");
            if (file == NULL || fwrite(bytes, 1, size, file) != size || fclose(file) != 0) {
                perror(path);
                exit(2);
            }
        }

        static size_t read_maps(void) {
            FILE *file = fopen("/proc/self/maps", "r");
            if (file == NULL) {
                perror("/proc/self/maps");
                exit(2);
            }
            size_t size = fread(maps_text, 1, sizeof maps_text - 1, file);
            fclose(file);
            maps_text[size] = 0;
            return size;
        }

        /* The end of the mapping that holds `address`, from the maps last read (which read_maps leaves intact). */
        static uint64_t mapping_end(uint64_t address) {
            for (const char *line = maps_text; line != NULL && *line != 0;) {
                unsigned long start, end;
                if (sscanf(line, "%lx-%lx", &start, &end) == 2 && start <= address && address < end) return end;
                line = strchr(line, '\n');
                if (line != NULL) line++;
            }
            fprintf(stderr, "no mapping holds %#lx\n", (unsigned long)address);
            exit(2);
        }

        /* Copies the stack from the snapshot's rsp, writes everything, and exits. Everything it calls runs below
           that rsp, so the copied frames are as they were at the snapshot. */
        __attribute__((noinline, noclone, noreturn)) static void dump_and_exit(void) {
            uint64_t sp = registers[7];
            size_t maps_size = read_maps();
            size_t size = mapping_end(sp) - sp;
            if (size > sizeof stack_copy) size = sizeof stack_copy;
            memcpy(stack_copy, (const void *)(uintptr_t)sp, size);
            write_file("registers.bin", registers, sizeof registers);
            write_file("stack.bin", stack_copy, size);
            write_file("maps.txt", maps_text, maps_size);
            void *vdso = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_NOLOAD);
            void *clock_gettime_entry = vdso != NULL ? dlsym(vdso, "__vdso_clock_gettime") : NULL;
            char extra[256];
            int length = snprintf(extra, sizeof extra, "pid %d\nvdso_clock_gettime %lu\n", (int)getpid(),
                                  (unsigned long)(uintptr_t)clock_gettime_entry);
            write_file("extra.txt", extra, (size_t)length);
            exit(0);
        }

        #define SNAPSHOT()                 \
            do {                           \
                take_snapshot(registers);  \
                dump_and_exit();           \
            } while (0)

        __attribute__((noinline, noclone)) void scorch_snapshot(const char *directory) {
            output_directory = directory;
            SNAPSHOT();
        }

        #ifndef SCORCH_SNAPSHOT_LIBRARY
        __attribute__((noinline, noclone)) int level5(int x) {
            if (x >= 0) SNAPSHOT();
            sink = x;
            return x * 5;
        }
        __attribute__((noinline, noclone)) int level4(int x) { int r = level5(x * 3 + 1); sink = r; return r ^ (x + 4); }
        __attribute__((noinline, noclone)) int level3(int x) { int r = level4(x + 7); sink = r; return r * 3 - x; }
        __attribute__((noinline, noclone)) int level2(int x) { int r = level3(x ^ 5); sink = r; return r + x * 2; }
        __attribute__((noinline, noclone)) int level1(int x) { int r = level2(x - 1); sink = r; return r - 11; }

        __attribute__((noinline, noclone)) int recurse(int n) {
            volatile char pad[48];
            pad[n % 48] = (char)n;
            if (n <= 0) {
                if (n == 0) SNAPSHOT();
                return 0;
            }
            int r = recurse(n - 1);
            return r + pad[(n * 7) % 48];
        }

        __attribute__((noinline, noclone)) static void *thread_main(void *argument) {
            int r = level1((int)(intptr_t)argument);
            sink = r;
            return NULL;
        }

        __attribute__((noinline, noclone)) static void signal_handler(int signal_number) {
            int r = level5(signal_number);
            sink = r;
        }

        __attribute__((noinline, noclone)) int signal_caller(int x) {
            int r = raise(SIGUSR1);
            sink = r;
            return r + x;
        }

        int main(int argc, char **argv) {
            if (argc < 3) {
                fprintf(stderr, "usage: %s chain|recurse|thread|signal DIR\n", argv[0]);
                return 2;
            }
            output_directory = argv[2];
            if (strcmp(argv[1], "chain") == 0) return level1(argc) & 0xff;
            if (strcmp(argv[1], "recurse") == 0) return recurse(2000 + argc) & 0xff;
            if (strcmp(argv[1], "thread") == 0) {
                pthread_t thread;
                if (pthread_create(&thread, NULL, thread_main, (void *)(intptr_t)argc) != 0) return 2;
                pthread_join(thread, NULL);
                return 2;
            }
            if (strcmp(argv[1], "signal") == 0) {
                signal(SIGUSR1, signal_handler);
                sigset_t signals;  // the test runner may have left it blocked
                sigemptyset(&signals);
                sigaddset(&signals, SIGUSR1);
                sigprocmask(SIG_UNBLOCK, &signals, NULL);
                return signal_caller(argc) & 0xff;
            }
            return 2;
        }
        #endif

        """#

    /// Built once on first use; tests `try` it so a missing compiler fails the tests that need it, with its output.
    static let shared: Result<UnwinderFixtures, any Error> = Result { try UnwinderFixtures() }

    static func get() throws -> UnwinderFixtures { try shared.get() }

    private init() throws {
        directory = try Shell.makeTemporaryDirectory("unwinder")
        let sourcePath = directory + "/unwind.c"
        try Shell.write(Self.source, to: sourcePath)
        withDebugInfo = directory + "/unwind-g"
        withoutDebugInfo = directory + "/unwind-g0"
        debugFrameOnly = directory + "/unwind-debug-frame"
        let flags = ["-O2", "-fomit-frame-pointer", "-Wall", "-Wextra", "-Werror"]
        try Shell.run(["gcc"] + flags + ["-g", "-o", withDebugInfo, sourcePath, "-ldl", "-pthread"])
        try Shell.run(["gcc"] + flags + ["-g0", "-o", withoutDebugInfo, sourcePath, "-ldl", "-pthread"])
        try Shell.run(
            ["gcc"] + flags + [
                "-g", "-fno-asynchronous-unwind-tables", "-o", debugFrameOnly, sourcePath, "-ldl", "-pthread",
            ])
        snapshotLibrary = directory + "/libscorch-snapshot.so"
        try Shell.run(
            ["gcc"] + flags + [
                "-g", "-fPIC", "-shared", "-DSCORCH_SNAPSHOT_LIBRARY", "-o", snapshotLibrary, sourcePath, "-ldl",
            ])
    }
}

/// A `swiftc -O` program (no frame pointers in its own code) whose `@inline(never)` functions call the C
/// `scorch_snapshot`: main → swiftLevel1 → swiftLevel2 → swiftLevel3 → scorch_snapshot. Built on first use.
struct UnwinderSwiftFixture: Sendable {
    let binary: String

    static let source = """
        @inline(never)
        func swiftLevel3(_ n: Int, _ directory: String) -> Int {
            if n >= 0 { scorch_snapshot(directory) }
            return n &* 3
        }

        @inline(never)
        func swiftLevel2(_ n: Int, _ directory: String) -> Int {
            let r = swiftLevel3(n &+ 1, directory)
            return r ^ n
        }

        @inline(never)
        func swiftLevel1(_ n: Int, _ directory: String) -> Int {
            let r = swiftLevel2(n &* 7, directory)
            return r &- n
        }

        print(swiftLevel1(CommandLine.arguments.count, CommandLine.arguments[1]))

        """

    static let shared: Result<UnwinderSwiftFixture, any Error> = Result { try UnwinderSwiftFixture() }

    static func get() throws -> UnwinderSwiftFixture { try shared.get() }

    private init() throws {
        let directory = try Shell.makeTemporaryDirectory("unwinder-swift")
        let cSource = directory + "/snapshot.c"
        let object = directory + "/snapshot.o"
        let header = directory + "/snapshot.h"
        let swiftSource = directory + "/main.swift"
        try Shell.write(UnwinderFixtures.source, to: cSource)
        try Shell.write("void scorch_snapshot(const char *directory);\n", to: header)
        try Shell.write(Self.source, to: swiftSource)
        try Shell.run([
            "gcc", "-O2", "-fomit-frame-pointer", "-g", "-DSCORCH_SNAPSHOT_LIBRARY", "-c", "-o", object, cSource,
        ])
        binary = directory + "/unwind-swift"
        try Shell.run([
            "swiftc", "-O", "-g", "-module-name", "main", "-import-objc-header", header, "-o", binary, swiftSource,
            object, "-ldl",
        ])
    }
}
