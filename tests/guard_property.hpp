// The guard's property test, shared by the ctest (tests/test_guard_property.cpp: a bounded count
// per format on every preset) and the host's long-run driver (tools/guard-property: any count,
// formats selected on the command line). A randomized differential test: wild networks, samples,
// labels and settings; every step's outcome is compared with an exact recomputation in long
// double (double where long double is double, the Cortex-M and ARM Linux):
//   refused step:  every weight byte unchanged (network and master), and the refusal justified
//                  (a bad setting, sample or label, or the exact candidate within the slack of the
//                  limit, the range or finiteness: `justified` below);
//   accepted step: every stored weight finite (bit test), |w| <= weight_limit when set (exact),
//                  no fixed-point saturation (the counters), the reported loss finite, the stored
//                  |W| bounds (network's and master's) >= the true max |W|, and every stored
//                  weight equal to the exact update within the format's rounding.
// Why long double (or double) suffices: the exact candidate decay w + alpha delta x is a product
// of three factors and a sum; evaluated in long double (64 bits) its own error is below 2^-62
// relative to its terms, in double below 2^-51: next to the tolerance of 16 ulp of the trainer's
// arithmetic type (2^-20 in float, 2^-49 in double), the reference's error is 2^-42 of it for
// float and narrower, and a quarter of it for double on targets without a wider long double.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>

#include "twolayer/twolayer.hpp"

namespace guard_property {

using namespace twolayer;
using ld = long double;

#ifdef TL_GUARD_PROPERTY_PRINT
#define GP_PRINT(...) TL_GUARD_PROPERTY_PRINT(__VA_ARGS__)
#else
#define GP_PRINT(...) std::printf(__VA_ARGS__)
#endif

constexpr index_t NMAX = 16, PMAX = 8;  // the dynamic path's sizes: N in 1..16, P in 1..8
constexpr index_t NS = 5, PS = 3;       // the static path's sizes (odd: remainder loops)
constexpr index_t GM = 4;               // samples in the batch trainers' dataset
constexpr index_t PARAMS = PMAX * NMAX + 2 * PMAX + 1;

// splitmix64: a seeded, portable stream (the run is reproducible from the seed on every target).
struct rng64 {
    std::uint64_t s;
    explicit rng64(std::uint64_t seed) : s(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1p-53; }
    int below(int n) { return int(next() % std::uint64_t(n)); }
    bool chance(double p) { return uniform() < p; }
    double sign() { return (next() & 1) ? -1.0 : 1.0; }
    double gauss() {
        double u1 = uniform();
        if (u1 <= 0) u1 = 0x1p-60;
        return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
    }
    double pow10(double lo, double hi) { return std::pow(10.0, lo + (hi - lo) * uniform()); }
};

// What the test needs to know of a storage type: its exact value, finiteness by bits, the spacing
// of its values at a magnitude (0 for float and double: what is computed is stored), its largest
// and smallest positive values.
template <class S>
struct storage_info;

template <class T>
struct native_info {
    static constexpr bool is_fixed = false, narrow = false;
    static ld value(T s) { return static_cast<ld>(s); }
    static bool finite(T s) {
        if constexpr (sizeof(T) == 4) {
            std::uint32_t b;
            std::memcpy(&b, &s, 4);
            return (b & 0x7f800000u) != 0x7f800000u;
        } else {
            std::uint64_t b;
            std::memcpy(&b, &s, 8);
            return (b & 0x7ff0000000000000ull) != 0x7ff0000000000000ull;
        }
    }
    static ld spacing(ld) { return 0; }
    static T from(double d) { return T(d); }
    static double max() { return double(std::numeric_limits<T>::max()); }
    static double smallest() { return double(std::numeric_limits<T>::denorm_min()); }
};
template <> struct storage_info<float> : native_info<float> {};
template <> struct storage_info<double> : native_info<double> {};

template <int E, int M>
struct storage_info<basic_half<E, M>> {
    using H = basic_half<E, M>;
    static constexpr bool is_fixed = false, narrow = true;
    static constexpr int min_exp = detail::binary_format<E, M>::min_exp;
    static ld value(H s) { return static_cast<ld>(s.to_double()); }
    static bool finite(H s) { return s.is_finite(); }
    // One ulp at magnitude a (the subnormal spacing below the normal range).
    static ld spacing(ld a) {
        int e = 0;
        std::frexp(static_cast<double>(a), &e);  // a = f 2^e, f in [0.5, 1)
        const int ex = (a > 0 && e - 1 > min_exp) ? e - 1 : min_exp;
        return std::ldexp(1.0L, ex - M);
    }
    static H from(double d) { return H(d); }
    static double max() { return format_traits<H>::max; }
    static double smallest() { return std::ldexp(1.0, min_exp - M); }
};

template <class R, class W, int Fr>
struct storage_info<twolayer::fixed<R, W, Fr>> {
    using Q = twolayer::fixed<R, W, Fr>;
    static constexpr bool is_fixed = true, narrow = true;
    static ld value(Q s) { return std::ldexp(static_cast<ld>(s.raw), -Fr); }
    static bool finite(Q) { return true; }
    static ld spacing(ld) { return std::ldexp(1.0L, -Fr); }
    static Q from(double d) { return Q(d); }
    static double max() { return Q::max; }
    static double smallest() { return Q::resolution; }
    static std::uint32_t saturations() { return Q::counters().saturations; }
};

template <class S>
std::uint32_t saturation_count() {
    if constexpr (storage_info<S>::is_fixed) return storage_info<S>::saturations(); else return 0;
}

template <class T>
bool same_bytes(const T& a, const T& b) { return std::memcmp(&a, &b, sizeof(T)) == 0; }

template <class C>
bool finite_c(C c) { return native_info<C>::finite(c); }

// The violations the test counts, one kind each.
enum kind : int {
    k_refused_changed,       // a refused step changed a weight byte (network or master)
    k_wrong_refusal,         // refused although the exact update is well within every limit
    k_nonfinite_weight,      // an accepted step stored a NaN or Inf
    k_over_limit,            // an accepted step stored |w| > weight_limit
    k_master_over_limit,     // ... or left the master's |w| > weight_limit
    k_saturated,             // an accepted step saturated a fixed-point value
    k_nonfinite_loss,        // an accepted step reported a loss that is not finite
    k_bound_unsound,         // the network's stored |W| bound below the true max |W|
    k_master_bound_unsound,  // the master's bound below its max |W|
    k_value_mismatch,        // a stored (or master) weight off the exact update by more than rounding
    k_master_store,          // a stored weight not the master's value rounded to nearest
    k_untrained_changed,     // an accepted step changed a parameter it does not train
    k_cache_mismatch,        // the step's output or g differ from a fresh forward pass (stale reuse)
    k_count
};
inline const char* kind_name(int k) {
    static const char* const names[k_count] = {
        "refused_changed", "wrong_refusal", "nonfinite_weight", "over_limit", "master_over_limit",
        "saturated", "nonfinite_loss", "bound_unsound", "master_bound_unsound", "value_mismatch",
        "master_store", "untrained_changed", "cache_mismatch"};
    return names[k];
}

constexpr int status_count = 9;

// The counts of one (format, path) run.
struct stats {
    const char* format = "";
    const char* path = "";
    std::uint64_t seed = 0;
    long steps = 0, accepted = 0, refused = 0;
    long by_status[status_count] = {};
    long viol[k_count] = {};
    int printed[k_count] = {};
    static int max_print;  // the first violating cases printed per run and kind
    long violations() const {
        long s = 0;
        for (long v : viol) s += v;
        return s;
    }
    // Counts a violation and prints the first few with what reproduces them.
    void report(int k, long step, const char* what, ld a, ld b, ld c) {
        ++viol[k];
        if (printed[k] >= max_print) return;
        ++printed[k];
        GP_PRINT("    VIOLATION %s %s: %s at step %ld (seed %u:%u): %s: %.9g vs %.9g (%.9g)\n", format, path,
                 kind_name(k), step, unsigned(seed >> 32), unsigned(seed), what, double(a), double(b), double(c));
    }
};
inline int stats::max_print = 2;

inline void print_stats(const stats& s) {
    GP_PRINT("    %s %s: steps %ld accepted %ld refused %ld", s.format, s.path, s.steps, s.accepted, s.refused);
    static const char* const st[status_count] = {"ok", "input", "label", "output", "update", "limit", "range", "config", "empty"};
    GP_PRINT(" [");
    for (int i = 1; i < status_count; ++i)
        if (s.by_status[i]) GP_PRINT(" %s %ld", st[i], s.by_status[i]);
    GP_PRINT(" ] violations %ld", s.violations());
    for (int k = 0; k < k_count; ++k)
        if (s.viol[k]) GP_PRINT(" %s %ld", kind_name(k), s.viol[k]);
    GP_PRINT("\n");
}

}  // namespace guard_property

#include "guard_property_run.hpp"
