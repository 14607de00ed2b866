// A test harness with no heap, no exceptions and printf-level output, so the same test sources
// run on the host, under qemu-user and on bare-metal QEMU boards. Each binary prints one line per
// test and ends with "N passed, N failed" (", N skipped" when any were skipped); its exit code is
// non-zero when a test failed.
#pragma once
#include <cstdarg>
#include <cstddef>

namespace tl_test {

using test_fn = void (*)();

struct test_case {
    const char* name;
    test_fn fn;
    test_case* next;
};

struct registrar {
    explicit registrar(test_case* t);
};

// Output: printf-like subset (%d %i %u %ld %lu %lld %llu %zu %x %s %c %e %f %g, with width and
// precision) written through the platform's write function.
void print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void vprint(const char* fmt, va_list ap);
int format(char* buf, std::size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

// Recording outcomes (used by the macros).
void record_failure(const char* file, int line, const char* what);
void record_near_failure(const char* file, int line, const char* a_expr, const char* b_expr, double a,
                         double b, double tol);
void mark_skipped(const char* why);
bool current_failed();

int run_all();

// Provided per platform (tests/harness/platform_*.cpp, targets/*/platform_*.cpp).
void platform_write(const char* s, std::size_t n);
const char* platform_name();

}  // namespace tl_test

#define TL_CAT2(a, b) a##b
#define TL_CAT(a, b) TL_CAT2(a, b)

#define TL_TEST(name)                                                               \
    static void name();                                                             \
    static tl_test::test_case TL_CAT(name, _case) = {#name, name, nullptr};         \
    static tl_test::registrar TL_CAT(name, _registrar)(&TL_CAT(name, _case));       \
    static void name()

#define TL_CHECK(cond)                                                              \
    do {                                                                            \
        if (!(cond)) tl_test::record_failure(__FILE__, __LINE__, #cond);            \
    } while (0)

// Stops the test when cond is false (what follows would be meaningless).
#define TL_REQUIRE(cond)                                                            \
    do {                                                                            \
        if (!(cond)) {                                                              \
            tl_test::record_failure(__FILE__, __LINE__, #cond);                     \
            return;                                                                 \
        }                                                                           \
    } while (0)

// |a - b| <= tol; NaN never passes.
#define TL_CHECK_NEAR(a, b, tol)                                                    \
    do {                                                                            \
        const double tl_a_ = static_cast<double>(a), tl_b_ = static_cast<double>(b); \
        const double tl_t_ = static_cast<double>(tol);                              \
        const double tl_d_ = tl_a_ > tl_b_ ? tl_a_ - tl_b_ : tl_b_ - tl_a_;         \
        if (!(tl_d_ <= tl_t_))                                                      \
            tl_test::record_near_failure(__FILE__, __LINE__, #a, #b, tl_a_, tl_b_, tl_t_); \
    } while (0)

#define TL_SKIP(why)                                                                \
    do {                                                                            \
        tl_test::mark_skipped(why);                                                 \
        return;                                                                     \
    } while (0)

#define TL_INFO(...) tl_test::print(__VA_ARGS__)
