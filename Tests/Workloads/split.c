// `split A B [SECONDS]` spends A/(A+B) of its CPU in hot_a and the rest in hot_b (split by work,
// not time), then exits. Built with frame pointers so frame-pointer unwinders (perf -g, scorch) see whole stacks.
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

// Keeps the hot functions from being leaves: GCC gives leaves no frame pointer.
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
    if (argc < 3) return 2;
    work(strtoul(argv[1], 0, 10), strtoul(argv[2], 0, 10), argc > 3 ? atof(argv[3]) : 3600);
    return 0;
}
