// Self-test image for tools/insncount: known_loop(n) is hand-written assembly that executes
// exactly 2 n + 2 instructions (one move, n times subtract-and-branch, one return), on every ARM
// instruction set this project builds for. Three windows: n = 1000, 2000, 1000.
// tools/insncount/selftest.py checks the counts are exact, linear in n and equal across runs.
#if defined(TWOLAYER_BENCH_SEMIHOST)
extern "C" void twolayer_semihost_write0(const char* s);
static void out(const char* s) { twolayer_semihost_write0(s); }
#else
#include <cstdio>
static void out(const char* s) { std::fputs(s, stdout); }
#endif

extern "C" void known_loop(unsigned long n);

#if defined(__aarch64__)
__asm__(".text\n.p2align 2\n.global known_loop\n.type known_loop, %function\nknown_loop:\n"
        "  mov x1, x0\n1:\n  subs x1, x1, #1\n  b.ne 1b\n  ret\n.size known_loop, .-known_loop\n");
#elif defined(__thumb__)
__asm__(".text\n.syntax unified\n.thumb\n.p2align 2\n.global known_loop\n.type known_loop, %function\n"
        ".thumb_func\nknown_loop:\n  mov r1, r0\n1:\n  subs r1, r1, #1\n  bne 1b\n  bx lr\n"
        ".size known_loop, .-known_loop\n");
#elif defined(__arm__)
__asm__(".text\n.syntax unified\n.arm\n.p2align 2\n.global known_loop\n.type known_loop, %function\n"
        "known_loop:\n  mov r1, r0\n1:\n  subs r1, r1, #1\n  bne 1b\n  bx lr\n.size known_loop, .-known_loop\n");
#else
#error "insncount_selftest: no known_loop for this architecture"
#endif

extern "C" __attribute__((noipa)) void twolayer_bench_begin() { __asm__ volatile("" ::: "memory"); }
extern "C" __attribute__((noipa)) void twolayer_bench_end() { __asm__ volatile("" ::: "memory"); }

volatile unsigned long g_n[3] = {1000, 2000, 1000};

int main() {
    for (int w = 0; w < 3; ++w) {
        const unsigned long n = g_n[w];
        twolayer_bench_begin();
        known_loop(n);
        twolayer_bench_end();
    }
    out("insncount_selftest done\n");
    return 0;
}
