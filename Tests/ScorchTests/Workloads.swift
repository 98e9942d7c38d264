/// Test programs with a known shape, compiled by the tests.
enum Workloads {
    /// Two hot leaves called from `work` with a CPU split fixed by the amount of work, not by time, so scheduling
    /// noise cannot shift it: `workload A B SECONDS` spends A/(A+B) of its CPU in hot_a. Exits after SECONDS.
    static let split = """
        #include <stdlib.h>
        #include <time.h>

        static volatile unsigned long sink;

        // Called by the hot functions so they are not leaves: GCC gives leaves no frame pointer.
        __attribute__((noinline)) void consume(unsigned long x) { sink = x; }

        __attribute__((noinline)) void hot_a(unsigned long n) {
            unsigned long x = sink;
            for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005UL + i;
            consume(x);
        }

        __attribute__((noinline)) void hot_b(unsigned long n) {
            unsigned long x = sink;
            for (unsigned long i = 0; i < n; i++) x = x * 2862933555777941757UL + i;
            consume(x);
        }

        static double now(void) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            return t.tv_sec + t.tv_nsec / 1e9;
        }

        __attribute__((noinline)) void work(unsigned long a, unsigned long b, double seconds) {
            double end = now() + seconds;
            while (now() < end) {
                hot_a(a * 200000);
                hot_b(b * 200000);
            }
        }

        int main(int argc, char **argv) {
            work(strtoul(argv[1], 0, 10), strtoul(argv[2], 0, 10), argc > 3 ? atof(argv[3]) : 3600);
            return 0;
        }
        """

    /// Spends its time in write(2) to /dev/null, issued from a frame-pointer function (no libc wrapper in between).
    static let syscalls = """
        #include <fcntl.h>

        static volatile long sink;

        // Keeps raw_write from being a leaf: GCC gives leaves no frame pointer.
        __attribute__((noinline)) void consume(long x) { sink = x; }

        __attribute__((noinline)) long raw_write(int fd, const void *buffer, unsigned long size) {
            long result;
            __asm__ volatile("syscall" : "=a"(result) : "a"(1), "D"(fd), "S"(buffer), "d"(size) : "rcx", "r11", "memory");
            consume(result);
            return result;
        }

        static char buffer[1 << 16];

        int main(void) {
            int fd = open("/dev/null", O_WRONLY);
            for (;;) raw_write(fd, buffer, sizeof buffer);
        }
        """

    /// A C++ function in a namespace and a class, so its symbol is mangled.
    static let cplusplus = """
        namespace scorch_test {
        struct Spinner {
            __attribute__((noinline)) static unsigned long spin(int rounds);
        };
        unsigned long Spinner::spin(int rounds) {
            volatile unsigned long x = 0;
            for (int i = 0; i < rounds; i++) x = x * 31 + i;
            return x;
        }
        }  // namespace scorch_test

        int main() {
            for (;;) scorch_test::Spinner::spin(1000000);
        }
        """

    /// A Swift function, so its symbol is Swift-mangled.
    static let swift = """
        @inline(never) func spinSwift(_ rounds: Int) -> Int {
            var x = 0
            var i = 0
            while i < rounds {
                x = x &* 31 &+ i
                i &+= 1
            }
            return x
        }

        var total = 0
        while true { total &+= spinSwift(1_000_000) }
        """
}
