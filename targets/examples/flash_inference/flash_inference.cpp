// Inference from flash: the network trained on the host by `twolayer train` and exported by
// `twolayer export` into flash_demo_net.hpp (regenerate.sh), every weight read in place from the
// header's constexpr arrays (flash, .rodata), only the forward cache in RAM. The board computes
// the outputs on SAMPLES inputs drawn from the library's float Gaussian sampler with a fixed key,
// and prints each input and output as the hex bits of its floats (exact, and no printf: newlib's
// would link malloc); check_outputs.py recomputes the outputs in double on the host from the
// .npy weights and compares.
//   x <sample> <N hex words>     the input
//   y <sample> <hex word>        the network's output on it
#include <cstdint>
#include <cstring>

#include "flash_demo_net.hpp"
#include "twolayer/teacher/gaussian_block.hpp"

extern "C" void twolayer_semihost_write0(const char* s);

namespace {

constexpr unsigned SAMPLES = 8;
constexpr std::uint64_t INPUT_SEED = 2026, INPUT_STREAM = 5;

char* put_hex(char* p, float v) {
    std::uint32_t b;
    std::memcpy(&b, &v, sizeof b);
    for (int shift = 28; shift >= 0; shift -= 4) *p++ = "0123456789abcdef"[(b >> shift) & 0xfu];
    return p;
}

char* put_line_start(char* p, char tag, unsigned sample) {
    *p++ = tag;
    *p++ = ' ';
    if (sample >= 10) *p++ = char('0' + sample / 10);
    *p++ = char('0' + sample % 10);
    return p;
}

}  // namespace

// Not static: tools/footprint reads their sizes from the symbol table (the network in RAM: its
// views and forward cache, not W).
flash_demo::flash_network g_net(flash_demo::weights);
float g_x[flash_demo::N];

int main() {
    twolayer::gaussian_block<float> inputs(INPUT_SEED, INPUT_STREAM);
    char line[16 + 9 * flash_demo::N];
    bool finite = true;
    for (unsigned s = 0; s < SAMPLES; ++s) {
        inputs.fill(g_x, flash_demo::N);
        const float y = g_net.forward(g_x);
        finite = finite && twolayer::math::isfinite(y);
        char* p = put_line_start(line, 'x', s);
        for (float xi : g_x) {
            *p++ = ' ';
            p = put_hex(p, xi);
        }
        *p = 0;
        twolayer_semihost_write0(line);
        twolayer_semihost_write0("\n");
        p = put_line_start(line, 'y', s);
        *p++ = ' ';
        p = put_hex(p, y);
        *p = 0;
        twolayer_semihost_write0(line);
        twolayer_semihost_write0("\n");
    }
    return finite ? 0 : 1;
}
