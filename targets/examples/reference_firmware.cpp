// The reference firmware: reference_training.hpp on the board, in float, weights and training
// state in static memory, output over semihosting.
#include "reference_training.hpp"

extern "C" void twolayer_semihost_write0(const char* s);

namespace {
struct semihost_out {
    static void line(const char* s) {
        twolayer_semihost_write0(s);
        twolayer_semihost_write0("\n");
    }
};
reference::model<float> g_model;  // static: the network lives in .bss
}  // namespace

int main() { return reference::run<float, semihost_out>(g_model); }
