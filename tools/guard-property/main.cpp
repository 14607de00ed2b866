// The guard's property test as a long run on the host (tests/guard_property.hpp says what it
// checks; tests/test_guard_property.cpp is its bounded count in CI):
//   guard_property_long [--steps N] [--format NAME]... [--path NAME] [--seed S] [--print K]
// N steps per format (default 10^7), shared among the format's paths; formats by the names the
// test prints (double, float, f16, bf16, q3_12, q4_27, mixed<q4_27,double>, ...; default all),
// so runs can be split over cores. Exit status 1 when any violation was found.
#include <chrono>
#include <cstdlib>

#include "guard_property.hpp"

int main(int argc, char** argv) {
    guard_property::options opt;
    opt.steps = 10000000;
    const char* formats[32];
    int nformats = 0;
    for (int i = 1; i < argc; ++i) {
        const bool has_value = i + 1 < argc;
        if (has_value && !std::strcmp(argv[i], "--steps")) opt.steps = std::atol(argv[++i]);
        else if (has_value && !std::strcmp(argv[i], "--format") && nformats < 32) formats[nformats++] = argv[++i];
        else if (has_value && !std::strcmp(argv[i], "--path")) opt.only_path = argv[++i];
        else if (has_value && !std::strcmp(argv[i], "--seed")) opt.seed = std::strtoull(argv[++i], nullptr, 0);
        else if (has_value && !std::strcmp(argv[i], "--print")) guard_property::stats::max_print = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: %s [--steps N] [--format NAME]... [--path NAME] [--seed S] [--print K]\n", argv[0]);
            return 2;
        }
    }
    long total = 0;
    int ran = 0;
    guard_property::for_each_format([&](auto tag, const char* name, int index) {
        using F = typename decltype(tag)::type;
        bool wanted = nformats == 0;
        for (int f = 0; f < nformats; ++f) wanted = wanted || !std::strcmp(formats[f], name);
        if (!wanted) return;
        ++ran;
        const auto t0 = std::chrono::steady_clock::now();
        const long v = guard_property::run_format<F>(name, index, opt);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%s: %ld steps, %ld violations, %.1f s (%.2f us/step)\n", name, opt.steps, v, s,
                    1e6 * s / double(opt.steps));
        std::fflush(stdout);
        total += v;
    });
    if (ran == 0) {
        std::fprintf(stderr, "no such format\n");
        return 2;
    }
    std::printf("total violations: %ld\n", total);
    return total == 0 ? 0 : 1;
}
