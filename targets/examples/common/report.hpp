// One line of the example firmware's output, built in a fixed buffer (no printf, no heap) and
// written by example_write_line: over semihosting on the board (common/out_semihost.cpp), to
// stdout on the host (common/out_stdio.cpp), so both run the same program.
#pragma once
#include "text.hpp"

// Writes s and a newline. Defined once per build by the file the example's CMakeLists links.
void example_write_line(const char* s);

namespace example_text {

// line().text("step ").count(n).text(" eps_g ").sci(e).print(); text past the buffer is dropped.
class line {
public:
    line& text(const char* s) {
        while (*s && p_ < buf_ + TEXT_END) *p_++ = *s++;
        return *this;
    }
    line& count(unsigned long v) {
        if (p_ < buf_ + TEXT_END) p_ = put_uint(p_, v);
        return *this;
    }
    // v in d.dddddde-XX, with a minus sign when negative.
    line& sci(double v) {
        if (p_ >= buf_ + TEXT_END) return *this;
        if (v < 0) *p_++ = '-';
        p_ = put_sci(p_, v < 0 ? -v : v);
        return *this;
    }
    void print() {
        *p_ = 0;
        example_write_line(buf_);
    }

private:
    // A number is at most 21 characters: the room kept past the last text character.
    static constexpr int SIZE = 160, TEXT_END = SIZE - 24;
    char buf_[SIZE];
    char* p_ = buf_;
};

}  // namespace example_text
