// The ctest side of the guard's property test (tests/guard_property.hpp): one test per format,
// split over three sources (test_guard_property*.cpp) so the build runs in parallel.
#pragma once
#include "harness.hpp"
#define TL_GUARD_PROPERTY_PRINT(...) TL_INFO(__VA_ARGS__)
#include "guard_property.hpp"

namespace guard_property {

// Steps per format (shared among its 6 or 12 paths). Bare-metal test binaries take no
// arguments, so the count is a constant: ARM targets run fewer steps (double is software on the
// Cortex-M4, and the reference computes in it; the others run under emulation).
#if defined(__x86_64__) || defined(__i386__)
constexpr long ci_steps = 6000;
#else
constexpr long ci_steps = 600;
#endif

// Runs format F's paths and fails on any violation.
template <class F>
void property_test() {
    options opt;
    opt.steps = ci_steps;
    long violations = 0;
    const char* name = "";
    for_each_format([&](auto tag, const char* n, int index) {
        using G = typename decltype(tag)::type;
        if constexpr (std::is_same<G, F>::value) {
            violations = run_format<G>(n, index, opt);
            name = n;
        }
    });
    TL_INFO("    %s: %ld violations in %ld steps\n", name, violations, ci_steps);
    TL_CHECK(violations == 0);
}

}  // namespace guard_property
