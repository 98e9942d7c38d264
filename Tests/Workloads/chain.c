// main → level1 → … → level5, which burns CPU; built with -O2 -fomit-frame-pointer by the tests. `chain [SECONDS]`.
// Every level does work after its call, so no call is a tail call.
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) unsigned long level5(unsigned long n) {
    unsigned long x = sink;
    for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005UL + i;
    return x;
}
__attribute__((noinline)) unsigned long level4(unsigned long n) { return level5(n) ^ sink; }
__attribute__((noinline)) unsigned long level3(unsigned long n) { return level4(n) + sink; }
__attribute__((noinline)) unsigned long level2(unsigned long n) { return level3(n) ^ (sink << 1); }
__attribute__((noinline)) unsigned long level1(unsigned long n) { return level2(n) + (sink << 2); }

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 3600;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        sink += level1(2000000);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
    return 0;
}
