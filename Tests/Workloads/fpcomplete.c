// A program whose frame-pointer stacks are complete: no libc, its own _start (which clears rbp and whose CFI marks
// the return address undefined, ending both walks there), and frame pointers in every function. Build with
// -O1 -g -fno-omit-frame-pointer -fno-inline -nostdlib -static -fno-stack-protector. Runs until killed.
__asm__(".globl _start\n"
        "_start:\n"
        ".cfi_startproc\n"
        ".cfi_undefined rip\n"
        "    xor %ebp, %ebp\n"
        "    and $-16, %rsp\n"
        "    call main\n"
        "    mov $60, %eax\n"
        "    xor %edi, %edi\n"
        "    syscall\n"
        ".cfi_endproc\n");

static volatile unsigned long sink;

// Keeps burn from being a leaf: GCC gives leaves no frame pointer.
__attribute__((noinline)) void consume(unsigned long x) { sink = x; }

__attribute__((noinline)) void burn(void) {
    unsigned long x = sink;
    for (unsigned long i = 0; i < 1000000; i++) x = x * 6364136223846793005UL + i;
    consume(x);
}

__attribute__((noinline)) void outer(void) {
    burn();
    consume(sink + 1);
}

int main(void) {
    for (;;) outer();
}
