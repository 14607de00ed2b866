// Which implementation each call runs: for every operation and element type, the tag whose
// kernel the default arch gets on this target, and derived-tag cases (an arch with no kernel of
// its own gets its base's, never the scalar reference while a base has one). The query is
// kernels::kernel_choice (kernels/dispatch.hpp): the public entry's own call, kernel<A>(op, ...,
// arch), resolved with a probe arch that derives from the caller's, so the answer is the overload
// resolution the real call does, not a table kept beside it.
//
// Expected tags come from the target macros (the instruction sets the compiler targets), and the
// default arch from the preset (TWOLAYER_EXPECTED_ARCH, checked in test_kernels).
#include <cstring>
#include <type_traits>

#include "harness.hpp"
#include "twolayer/twolayer.hpp"
// Every kernel header, on every target: each compiles to nothing where its instructions are
// missing, so the derived tags below can be asked about anywhere.
#include "twolayer/kernels/dsp.hpp"
#include "twolayer/kernels/helium.hpp"
#include "twolayer/kernels/neon.hpp"
#include "twolayer/kernels/neon_fp16.hpp"
#include "twolayer/kernels/xsimd.hpp"

using namespace twolayer;

namespace {

using kernels::kernel_choice;
namespace op = kernels::op;

int g_mismatches = 0;

// Got (the tag the call selects) must be Want; and asked again with Got as the caller's arch the
// answer must be Got itself (an implementation whose result<> names another tag than its
// requires_arch parameter would fail this).
template <class Op, class Arch, class Want, class... Args>
void expect(const char* what) {
    using got = kernel_choice<Op, Arch, Args...>;
    using again = kernel_choice<Op, got, Args...>;
    const bool ok = std::is_same<got, Want>::value && std::is_same<again, got>::value;
    TL_INFO("    %s on %s: %s%s\n", what, Arch::name, got::name, ok ? "" : "  MISMATCH");
    if (!ok) {
        TL_INFO("      expected %s (asked again with %s: %s)\n", Want::name, got::name, again::name);
        ++g_mismatches;
    }
}

// The argument types of each public entry (dynamic extents; the static ones select the same).
template <class T> using cv = vec_view<const T>;
template <class T> using v = vec_view<T>;
template <class T> using cm = mat_view<const T>;
template <class T> using m = mat_view<T>;

template <class Arch, class T>
using dot_of = kernel_choice<op::dot, Arch, cv<T>, cv<T>>;

// Each operation on element type T (S storage, C arithmetic), expected Want.
template <class Arch, class Want, class T>
void expect_dot(const char* w) { expect<op::dot, Arch, Want, cv<T>, cv<T>>(w); }
template <class Arch, class Want, class S, class C = S>
void expect_gemv(const char* w) { expect<op::gemv, Arch, Want, cm<S>, cv<S>, v<C>, C>(w); }
template <class Arch, class Want, class S, class C = S>
void expect_gemv_bias(const char* w) { expect<op::gemv_bias, Arch, Want, cm<S>, cv<S>, cv<S>, v<C>, C>(w); }
template <class Arch, class Want, class C, class X = C>
void expect_rank1(const char* w) { expect<op::rank1_update, Arch, Want, m<C>, cv<C>, cv<X>, C, C>(w); }
template <class Arch, class Want, class T>
void expect_rank1_gemv(const char* w) {
    expect<op::rank1_update_gemv, Arch, Want, m<T>, cv<T>, cv<T>, T, T, cv<T>, v<T>, T>(w);
}
template <class Arch, class Want, class F>
void expect_rank1_stored(const char* w) {
    expect<op::rank1_update_stored, Arch, Want, format_tag<F>, m<storage_t<F>>, cv<compute_t<F>>, cv<storage_t<F>>,
           compute_t<F>, compute_t<F>, round_nearest&>(w);
}
template <class Arch, class Want, class F>
void expect_store_all(const char* w) {
    expect<op::store_all, Arch, Want, format_tag<F>, cv<compute_t<F>>, v<storage_t<F>>>(w);
}
template <class Arch, class Want>
void expect_tanh_map(const char* w) { expect<op::tanh_map, Arch, Want, cv<float>, v<float>>(w); }
template <class Arch, class Want, class T>
void expect_absmax(const char* w) { expect<op::absmax, Arch, Want, cv<T>>(w); }

// What the target offers (from the compiler's macros, not from the kernel headers).
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
constexpr bool m_profile = true;
#else
constexpr bool m_profile = false;
#endif
#if defined(__ARM_FP) && (__ARM_FP & 4)
constexpr bool m_fpu = m_profile;  // a single-precision FPU on a Cortex-M: dsp's float kernels
#else
constexpr bool m_fpu = false;
#endif
#if defined(__ARM_FEATURE_DSP)
constexpr bool has_dsp_ext = true;  // SMLALD: dsp's Q15 kernels
#else
constexpr bool has_dsp_ext = false;
#endif
#if defined(__ARM_FEATURE_MVE)
constexpr bool has_mve = true;  // integer MVE: helium's Q15 kernels
#if (__ARM_FEATURE_MVE & 2)
constexpr bool has_mve_float = true;  // helium's float kernels
#else
constexpr bool has_mve_float = false;
#endif
#else
constexpr bool has_mve = false;
constexpr bool has_mve_float = false;
#endif
#if defined(__ARM_NEON)
constexpr bool has_neon = true;
#else
constexpr bool has_neon = false;
#endif
#if defined(__aarch64__)
constexpr bool aarch64 = true;  // NEON double lanes and a vector divide (tanh_map)
#else
constexpr bool aarch64 = false;
#endif
#if defined(__ARM_NEON) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
constexpr bool has_fp16_vector = true;
#else
constexpr bool has_fp16_vector = false;
#endif

template <bool B, class Then, class Else>
using if_t = std::conditional_t<B, Then, Else>;

using scalar = arch::scalar;
using dsp = arch::dsp;
using helium = arch::helium;
using neon = arch::neon;
using neon_fp16 = arch::neon_fp16;

// Where an arch's kernels exist, by the target: helium's float kernels need MVE floating point,
// else helium gets dsp's, which need a Cortex-M FPU.
using dsp_float = if_t<m_fpu, dsp, scalar>;
using helium_float = if_t<has_mve_float, helium, dsp_float>;
using dsp_q15 = if_t<has_dsp_ext, dsp, scalar>;
using helium_q15 = if_t<has_mve, helium, dsp_q15>;
using dsp_absmax = if_t<m_profile, dsp, scalar>;  // the LDM scan: any Thumb-2 M-profile core
using neon_float = if_t<has_neon, neon, scalar>;
using neon_double = if_t<has_neon && aarch64, neon, scalar>;
using neon_tanh = if_t<has_neon && aarch64, neon, scalar>;
using fp16_f16 = if_t<has_fp16_vector, neon_fp16, scalar>;

// The expected implementation of every operation on the default arch D.
template <class D>
struct expected;

template <>
struct expected<scalar> {
    using f32 = scalar;        // dot, gemv, rank1_update on float
    using f64 = scalar;        // the same on double
    using bias32 = scalar;     // gemv_bias on float
    using fused32 = scalar;    // rank1_update_gemv on float
    using fused64 = scalar;
    using tanh32 = scalar;
    using absmax32 = scalar;
    using q15 = scalar;        // dot, gemv on q3_12
    using f16 = scalar;        // dot, gemv on f16
};
template <>
struct expected<dsp> : expected<scalar> {
    using f32 = dsp_float;
    using bias32 = dsp_float;  // its own block assembly with the biases
    using absmax32 = dsp_absmax;
    using q15 = dsp_q15;
};
template <>
struct expected<helium> : expected<scalar> {
    using f32 = helium_float;
    using bias32 = helium_float;  // helium's gemv + the bias, declared on helium (faster than dsp's)
    using absmax32 = dsp_absmax;  // dsp's, inherited
    using q15 = helium_q15;
};
template <>
struct expected<neon> : expected<scalar> {
    using f32 = neon_float;
    using f64 = neon_double;
    using tanh32 = neon_tanh;
};
template <>
struct expected<neon_fp16> : expected<neon> {
    using f16 = fp16_f16;
};
#if TWOLAYER_HAS_XSIMD && defined(TWOLAYER_ARCH_SIMD)
template <>
struct expected<arch::default_arch> : expected<scalar> {
    using D = arch::default_arch;
    using f32 = D;
    using f64 = D;  // x86: double lanes
    using fused32 = D;
    using fused64 = D;
    using tanh32 = D;
};
#endif

template <class D>
void expect_all_operations() {
    using E = expected<D>;
    expect_dot<D, typename E::f32, float>("dot float");
    expect_dot<D, typename E::f64, double>("dot double");
    expect_gemv<D, typename E::f32, float>("gemv float");
    expect_gemv<D, typename E::f64, double>("gemv double");
    expect_gemv_bias<D, typename E::bias32, float>("gemv_bias float");
    expect_gemv_bias<D, scalar, double>("gemv_bias double (gemv + bias)");
    expect_gemv_bias<D, scalar, q3_12, float>("gemv_bias q3_12 (gemv + bias)");
    expect_rank1<D, typename E::f32, float>("rank1_update float");
    expect_rank1<D, typename E::f64, double>("rank1_update double");
    expect_rank1<D, scalar, float, bf16>("rank1_update float, x bf16");
    expect_rank1_gemv<D, typename E::fused32, float>("rank1_update_gemv float");
    expect_rank1_gemv<D, typename E::fused64, double>("rank1_update_gemv double");
    expect_rank1_stored<D, scalar, bf16>("rank1_update_stored bf16");
    expect_rank1_stored<D, scalar, q3_12>("rank1_update_stored q3_12");
    expect_store_all<D, scalar, bf16>("store_all bf16");
    expect_store_all<D, scalar, f16>("store_all f16");
    expect_tanh_map<D, typename E::tanh32>("tanh_map float");
    expect_absmax<D, typename E::absmax32, float>("absmax float");
    expect_absmax<D, scalar, double>("absmax double");
    expect_dot<D, typename E::q15, q3_12>("dot q3_12");
    expect_dot<D, typename E::q15, q15>("dot q15");
    expect_gemv<D, typename E::q15, q3_12, float>("gemv q3_12 -> float");
    expect_gemv<D, typename E::q15, q3_12, double>("gemv q3_12 -> double");
    expect_dot<D, typename E::f16, f16>("dot f16");
    expect_gemv<D, typename E::f16, f16, float>("gemv f16 -> float");
    expect_dot<D, scalar, bf16>("dot bf16");
}

}  // namespace


TL_TEST(default_arch_gets_its_kernels) {
    g_mismatches = 0;
    expect_all_operations<arch::default_arch>();
    TL_CHECK(g_mismatches == 0);
}

TL_TEST(scalar_gets_the_reference) {
    g_mismatches = 0;
    expect_all_operations<scalar>();
    TL_CHECK(g_mismatches == 0);
}

// An arch without a kernel of its own gets its nearest base's: the most derived one that has it.
TL_TEST(derived_tags_get_their_bases_kernels) {
    g_mismatches = 0;
    // helium: its own float kernels and gemv_bias where MVE has floating point, else dsp's; the
    // guard's scan is dsp's; double is the reference.
    expect_gemv_bias<helium, helium_float, float>("helium gemv_bias float");
    expect_gemv<helium, helium_float, float>("helium gemv float");
    expect_absmax<helium, dsp_absmax, float>("helium absmax float (dsp's)");
    expect_gemv<helium, scalar, double>("helium gemv double");
    expect_dot<helium, helium_q15, q3_12>("helium dot q3_12");
    // dsp where it has no kernel: the root's compositions and the reference
    expect_rank1_gemv<dsp, scalar, float>("dsp rank1_update_gemv float (composed)");
    expect_tanh_map<dsp, scalar>("dsp tanh_map");
    // neon_fp16: f16 its own, float and double neon's
    expect_gemv<neon_fp16, neon_float, float>("neon_fp16 gemv float (neon's)");
    expect_rank1<neon_fp16, neon_float, float>("neon_fp16 rank1_update float (neon's)");
    expect_dot<neon_fp16, neon_double, double>("neon_fp16 dot double (neon's)");
    expect_tanh_map<neon_fp16, neon_tanh>("neon_fp16 tanh_map (neon's)");
    expect_dot<neon_fp16, fp16_f16, f16>("neon_fp16 dot f16");
    expect_gemv_bias<neon_fp16, scalar, float>("neon_fp16 gemv_bias float (composed)");
#if TWOLAYER_HAS_XSIMD
    // xsimd: double lanes except on Armv7 NEON; tanh lanes except on Armv7 NEON.
    using simd = arch::simd<xsimd::default_arch>;
#if XSIMD_WITH_NEON && !XSIMD_WITH_NEON64
    constexpr bool armv7_simd = true;
#else
    constexpr bool armv7_simd = false;
#endif
    expect_dot<simd, simd, float>("simd dot float");
    expect_dot<simd, if_t<armv7_simd, scalar, simd>, double>("simd dot double");
    expect_rank1_gemv<simd, if_t<armv7_simd, scalar, simd>, double>("simd rank1_update_gemv double");
    expect_tanh_map<simd, if_t<armv7_simd, scalar, simd>>("simd tanh_map");
    expect_gemv_bias<simd, scalar, float>("simd gemv_bias float (composed)");
    expect_absmax<simd, scalar, float>("simd absmax float");
#else
    TL_INFO("    (no xsimd headers for this target: simd<XA> not asked)\n");
#endif
    TL_CHECK(g_mismatches == 0);
}
