#include "harness.hpp"

#include <cstdint>

#include "twolayer/arch/select.hpp"

namespace tl_test {
namespace {

test_case* g_head = nullptr;
test_case* g_tail = nullptr;
int g_failures_in_test = 0;
bool g_skipped = false;
const char* g_skip_reason = "";

struct sink {
    char* buf;         // null: write straight to the platform
    std::size_t cap;
    std::size_t len;
    char chunk[128];
    std::size_t chunk_len;

    void put(char c) {
        if (buf) {
            if (len + 1 < cap) buf[len] = c;
            ++len;
            return;
        }
        chunk[chunk_len++] = c;
        if (chunk_len == sizeof chunk) flush();
    }
    void put(const char* s) { while (*s) put(*s++); }
    void flush() {
        if (!buf && chunk_len) platform_write(chunk, chunk_len);
        chunk_len = 0;
    }
};

void put_unsigned(sink& out, unsigned long long v, unsigned base, int width, char pad) {
    char tmp[24];
    int n = 0;
    do { tmp[n++] = "0123456789abcdef"[v % base]; v /= base; } while (v);
    while (width-- > n) out.put(pad);
    while (n) out.put(tmp[--n]);
}

void put_signed(sink& out, long long v, int width) {
    if (v < 0) { out.put('-'); put_unsigned(out, 0ull - static_cast<unsigned long long>(v), 10, width - 1, ' '); }
    else put_unsigned(out, static_cast<unsigned long long>(v), 10, width, ' ');
}

// Decimal rendering good to about 15 significant digits; enough for test diagnostics.
void put_double(sink& out, double v, char conv, int prec) {
    if (v != v) { out.put("nan"); return; }
    if (v < 0 || (v == 0 && 1 / v < 0)) { out.put('-'); v = -v; }
    if (v > 1.7976931348623157e308) { out.put("inf"); return; }
    if (prec < 0) prec = 6;
    if (prec > 17) prec = 17;
    int exp10 = 0;
    double m = v;
    if (m != 0) {
        while (m >= 10) { m /= 10; ++exp10; }
        while (m < 1) { m *= 10; --exp10; }
    }
    bool sci = conv == 'e';
    if (conv == 'g') {
        if (prec == 0) prec = 1;
        sci = exp10 < -4 || exp10 >= prec;
        prec = sci ? prec - 1 : prec - 1 - exp10;
    }
    if (sci) {
        double r = 0.5;
        for (int i = 0; i < prec; ++i) r /= 10;
        m += r;
        if (m >= 10) { m /= 10; ++exp10; }
        int d = static_cast<int>(m);
        out.put(static_cast<char>('0' + d));
        if (prec > 0) out.put('.');
        for (int i = 0; i < prec; ++i) { m = (m - d) * 10; d = static_cast<int>(m); out.put(static_cast<char>('0' + d)); }
        out.put('e');
        out.put(exp10 < 0 ? '-' : '+');
        put_unsigned(out, static_cast<unsigned>(exp10 < 0 ? -exp10 : exp10), 10, 2, '0');
        return;
    }
    double r = 0.5;
    for (int i = 0; i < prec; ++i) r /= 10;
    v += r;
    if (v >= 1e18) { put_double(out, v, 'e', 6); return; }
    unsigned long long ip = static_cast<unsigned long long>(v);
    put_unsigned(out, ip, 10, 0, ' ');
    double frac = v - static_cast<double>(ip);
    if (prec > 0) out.put('.');
    for (int i = 0; i < prec; ++i) { frac *= 10; int d = static_cast<int>(frac); out.put(static_cast<char>('0' + d)); frac -= d; }
}

void vformat(sink& out, const char* fmt, va_list ap) {
    for (; *fmt; ++fmt) {
        if (*fmt != '%') { out.put(*fmt); continue; }
        ++fmt;
        if (*fmt == '%') { out.put('%'); continue; }
        char pad = ' ';
        if (*fmt == '0') { pad = '0'; ++fmt; }
        int width = 0, prec = -1;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        if (*fmt == '.') { ++fmt; prec = 0; while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0'); }
        int longs = 0;
        bool size_t_arg = false;
        while (*fmt == 'l') { ++longs; ++fmt; }
        if (*fmt == 'z') { size_t_arg = true; ++fmt; }
        switch (*fmt) {
            case 'd': case 'i': {
                long long v = longs >= 2 ? va_arg(ap, long long) : longs == 1 ? va_arg(ap, long) : va_arg(ap, int);
                put_signed(out, v, width);
                break;
            }
            case 'u': case 'x': {
                unsigned long long v = size_t_arg ? va_arg(ap, std::size_t)
                                     : longs >= 2 ? va_arg(ap, unsigned long long)
                                     : longs == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
                put_unsigned(out, v, *fmt == 'x' ? 16 : 10, width, pad);
                break;
            }
            case 's': { const char* s = va_arg(ap, const char*); out.put(s ? s : "(null)"); break; }
            case 'c': out.put(static_cast<char>(va_arg(ap, int))); break;
            case 'e': case 'f': case 'g': put_double(out, va_arg(ap, double), *fmt, prec); break;
            default: out.put('%'); if (*fmt) out.put(*fmt); else --fmt; break;
        }
    }
}

}  // namespace

registrar::registrar(test_case* t) {
    if (g_tail) g_tail->next = t; else g_head = t;
    g_tail = t;
}

void vprint(const char* fmt, va_list ap) {
    sink out{nullptr, 0, 0, {}, 0};
    vformat(out, fmt, ap);
    out.flush();
}

void print(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}

int format(char* buf, std::size_t size, const char* fmt, ...) {
    sink out{buf, size, 0, {}, 0};
    va_list ap;
    va_start(ap, fmt);
    vformat(out, fmt, ap);
    va_end(ap);
    if (size) buf[out.len < size ? out.len : size - 1] = 0;
    return static_cast<int>(out.len);
}

void record_failure(const char* file, int line, const char* what) {
    ++g_failures_in_test;
    print("    %s:%d: check failed: %s\n", file, line, what);
}

void record_near_failure(const char* file, int line, const char* a_expr, const char* b_expr, double a,
                         double b, double tol) {
    ++g_failures_in_test;
    print("    %s:%d: |%s - %s| <= %g failed: %.17g vs %.17g (diff %g)\n", file, line, a_expr, b_expr,
          tol, a, b, a > b ? a - b : b - a);
}

void mark_skipped(const char* why) {
    g_skipped = true;
    g_skip_reason = why;
}

bool current_failed() { return g_failures_in_test > 0; }

int run_all() {
    print("target: %s, kernel arch: %s\n", platform_name(), twolayer::arch::default_arch::name);
    int passed = 0, failed = 0, skipped = 0;
    for (test_case* t = g_head; t; t = t->next) {
        g_failures_in_test = 0;
        g_skipped = false;
        t->fn();
        if (g_failures_in_test) { ++failed; print("[FAIL] %s\n", t->name); }
        else if (g_skipped) { ++skipped; print("[SKIP] %s: %s\n", t->name, g_skip_reason); }
        else { ++passed; print("[ ok ] %s\n", t->name); }
    }
    if (skipped) print("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else print("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

}  // namespace tl_test

int main() { return tl_test::run_all(); }
