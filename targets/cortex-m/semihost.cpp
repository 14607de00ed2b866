// Output and exit through Arm semihosting (QEMU: -semihosting-config enable=on,target=native).
// Raw calls only: newlib's stdio would link malloc.
#include <cstddef>
#include <cstdint>

namespace {
enum : std::uint32_t { SYS_WRITE0 = 0x04, SYS_EXIT_EXTENDED = 0x20, ADP_Stopped_ApplicationExit = 0x20026 };

std::uint32_t semihost(std::uint32_t op, const void* arg) {
    register std::uint32_t r0 __asm__("r0") = op;
    register const void* r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
}  // namespace

extern "C" void twolayer_semihost_write0(const char* s) { semihost(SYS_WRITE0, s); }

// SYS_EXIT_EXTENDED carries the exit code to QEMU's own exit status.
extern "C" [[noreturn]] void twolayer_semihost_exit(int code) {
    static std::uint32_t block[2];
    block[0] = ADP_Stopped_ApplicationExit;
    block[1] = std::uint32_t(code);
    semihost(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}

// newlib's abort() and exit() end here.
extern "C" [[noreturn]] void _exit(int code) { twolayer_semihost_exit(code); }

// Write a counted string: SYS_WRITE0 takes a NUL-terminated one, so copy in chunks.
extern "C" void twolayer_semihost_write(const char* s, std::size_t n) {
    char chunk[129];
    while (n) {
        const std::size_t k = n < 128 ? n : 128;
        for (std::size_t i = 0; i < k; ++i) chunk[i] = s[i] ? s[i] : ' ';
        chunk[k] = 0;
        twolayer_semihost_write0(chunk);
        s += k;
        n -= k;
    }
}
