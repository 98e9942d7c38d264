// Burns CPU in before_fork, then forks a child that burns in in_child while the parent execs EXEC_TARGET with the
// same pid. `forker EXEC_TARGET`.
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

__attribute__((noinline)) unsigned long burn(unsigned long n) {
    unsigned long x = sink;
    for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005UL + i;
    return x;
}
__attribute__((noinline)) void before_fork(double seconds) {
    double end = now() + seconds;
    while (now() < end) sink += burn(1000000) + 1;
}
__attribute__((noinline)) void in_child(double seconds) {
    double end = now() + seconds;
    while (now() < end) sink += burn(1000000) ^ 1;
}

int main(int argc, char **argv) {
    before_fork(1.0);
    if (fork() == 0) {
        in_child(2.0);
        _exit(0);
    }
    char *args[] = {argv[1], "2", 0};
    execv(argv[1], args);
    return 1;
}
