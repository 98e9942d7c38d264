// Recurses DEPTH deep (a few hundred bytes of stack per frame), then burns CPU at the bottom. `deep [DEPTH]`.
#include <stdlib.h>

static volatile unsigned long sink;

__attribute__((noinline)) unsigned long bottom(void) {
    unsigned long x = sink;
    for (unsigned long i = 0; i < 100000000UL; i++) x = x * 6364136223846793005UL + i;
    return x;
}

__attribute__((noinline)) unsigned long recurse(int depth) {
    volatile char pad[200];
    pad[0] = (char)depth;
    if (depth == 0) return bottom();
    return recurse(depth - 1) + pad[0];
}

int main(int argc, char **argv) {
    int depth = argc > 1 ? atoi(argv[1]) : 2000;
    for (;;) sink += recurse(depth);
}
