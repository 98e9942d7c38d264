// A C++ function in a namespace and a class, so its symbol is mangled.
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
