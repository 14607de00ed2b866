// The ctest side of the guard's property test (tests/guard_property.hpp): one test per format,
// split over three binaries (test_guard_property*.cpp): they build in parallel, and each fits a
// board's flash.
#pragma once
#include "harness.hpp"
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define TL_GUARD_PROPERTY_SMALL 1  // fewer paths and activations: flash (guard_property_check.hpp)
#endif
// Under the sanitizers (the host-asan preset) and on the ARM Linux presets every path runs, with
// the activations of the small set: the activations differ only in their scalar function (no
// kernel evaluates one in lanes), which the plain host build runs here with all seven and every
// preset runs in test_activations and test_gradients; what differs per target, the kernels and
// the guard's paths, runs in full. All seven made these three files most of the sanitizer
// build's time; on aarch64 they compile in 40 s with the small set against 91 s with all seven
// (the three objects' times in .ninja_log, 2026-12-03).
#if defined(TL_GUARD_PROPERTY_SMALL) || defined(__SANITIZE_ADDRESS__) || defined(__arm__) || defined(__aarch64__)
#define TL_GUARD_PROPERTY_FEW_ACTIVATIONS 1
#endif
#define TL_GUARD_PROPERTY_PRINT(...) TL_INFO(__VA_ARGS__)
#include "guard_property.hpp"

namespace guard_property {

// Steps per format (shared among its 6 or 12 paths). Bare-metal test binaries take no
// arguments, so the count is a constant: ARM targets run fewer steps (double is software on the
// Cortex-M4, and the reference computes in it; the others run under emulation).
#if defined(__x86_64__) || defined(__i386__)
constexpr long ci_steps = 6000;
#elif defined(TL_GUARD_PROPERTY_SMALL)
constexpr long ci_steps = 2000;
#else
constexpr long ci_steps = 1200;
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
