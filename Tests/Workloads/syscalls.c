// Spends its time in write(2) to /dev/null, issued from a frame-pointer function (no libc wrapper in between).
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
