// The same experiment as the reference firmware, on the host in double: the baseline the board's
// float run is compared with (tools/demo).
#include <cstdio>

#include "reference_training.hpp"

namespace {
struct stdout_out {
    static void line(const char* s) { std::printf("%s\n", s); }
};
reference::model<double> g_model;
}  // namespace

int main() { return reference::run<double, stdout_out>(g_model); }
