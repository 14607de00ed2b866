// A unit compiled with -ffp-contract=fast (tests/CMakeLists.txt): twolayer::fp_contract_off()
// called here must see the contraction that the project's flags forbid everywhere else, where the
// target has fused multiply-add. On x86 the probe function alone is compiled for FMA (the rest of
// the binary stays baseline) and is only called where the CPU has it.
#include "twolayer/core/fp_contract.hpp"

#if defined(__x86_64__) || defined(__i386__)
#define TL_PROBE_TARGET __attribute__((target("fma"), flatten))
#else
#define TL_PROBE_TARGET __attribute__((flatten))
#endif

TL_PROBE_TARGET bool probe_fp_contract_off() { return twolayer::fp_contract_off(); }

bool probe_may_fuse() {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("fma");
#elif defined(__aarch64__) || defined(__ARM_FEATURE_FMA)
    return true;
#else
    return false;
#endif
}
