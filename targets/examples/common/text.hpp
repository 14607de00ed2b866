// Number formatting for the example firmware without printf (newlib's would link malloc): each
// function appends to a caller's character buffer and returns the new end.
#pragma once

namespace example_text {

// Appends a non-negative value as d.dddddde-XX (errors and counts are never negative); no libc.
inline char* put_sci(char* p, double v) {
    int e = 0;
    if (v > 0) {
        while (v >= 10) { v /= 10; ++e; }
        while (v < 1) { v *= 10; --e; }
    }
    unsigned long m = static_cast<unsigned long>(v * 1e6 + 0.5);
    if (m >= 10000000ul) { m /= 10; ++e; }
    char digits[7];
    for (int i = 6; i >= 0; --i) { digits[i] = char('0' + m % 10); m /= 10; }
    *p++ = digits[0];
    *p++ = '.';
    for (int i = 1; i < 7; ++i) *p++ = digits[i];
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    const int a = e < 0 ? -e : e;
    *p++ = char('0' + a / 10);
    *p++ = char('0' + a % 10);
    return p;
}

inline char* put_uint(char* p, unsigned long v) {
    char tmp[20];
    int n = 0;
    do { tmp[n++] = char('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

}  // namespace example_text
