// Activation functions g with first and second derivatives. Each is a type (compile-time choice
// on the device) with static value(x), d1(x) = g'(x), d2(x) = g''(x) for any arithmetic type, an id
// and a name; activation_id names them at run time for host tools.
#pragma once
#include <limits>
#include <type_traits>

#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/kernels/scalar.hpp"

namespace twolayer {

// The activations by name, for run-time choices (with_activation below).
enum class activation_id { erf, relu, quadratic, tanh, sigmoid, linear, abs };

namespace act {

// An activation may also give g'(x) from the forward cache, x and g(x) (tanh, sigmoid): the backward
// pass then reuses g instead of evaluating the function again. has_d1_from_cache tells which do.

// g(x) = erf(x / sqrt 2): the teacher-student literature's sigmoidal unit (closed forms exist).
struct erf {
    static constexpr activation_id id = activation_id::erf;
    static constexpr const char* name = "erf";
    template <class T> static T value(T x) { return math::erf(x * T(0.70710678118654752440)); }
    // sqrt(2/pi) exp(-x^2/2)
    template <class T> static T d1(T x) { return T(0.79788456080286535588) * math::exp(-x * x / T(2)); }
    template <class T> static T d2(T x) { return -x * d1(x); }
};

// g(x) = max(0, x); g'(0) = 0.
struct relu {
    static constexpr activation_id id = activation_id::relu;
    static constexpr const char* name = "relu";
    template <class T> static T value(T x) { return x > T(0) ? x : T(0); }
    template <class T> static T d1(T x) { return x > T(0) ? T(1) : T(0); }
    template <class T> static T d2(T) { return T(0); }
};

// g(x) = x^2 (closed forms exist: the phase-retrieval student).
struct quadratic {
    static constexpr activation_id id = activation_id::quadratic;
    static constexpr const char* name = "quadratic";
    template <class T> static T value(T x) { return x * x; }
    template <class T> static T d1(T x) { return T(2) * x; }
    template <class T> static T d2(T) { return T(2); }
};

namespace detail {
// Where the cheap derivatives from the value, 1 - t^2 and s (1 - s), stop being accurate: t or s
// is within a few ulp of 1 there, and 1 - t^2 (1 - s) keeps only the bits below them (in float
// 17% off at x = 15 for the sigmoid, 0 beyond 16.6; 13% off at 7.9 for tanh, 0 beyond 8). Below
// these |x| the cheap form's relative error is at most 5e-5 in float and 5e-13 in double
// (measured; tests/test_activations.cpp holds every x to 1e-4 and 1e-12); beyond them the
// exp-based forms below take over, a few ulp. The switch keeps the common unsaturated case at a
// multiply and a subtraction, with the very bits of before.
template <class T> constexpr T tanh_d1_switch() { return std::numeric_limits<T>::digits <= 24 ? T(3) : T(4); }
template <class T> constexpr T sigmoid_d1_switch() { return std::numeric_limits<T>::digits <= 24 ? T(6) : T(8); }

// tanh'(x) = 4 e^-2a / (1 + e^-2a)^2, a = |x|, with e = e^-a (its argument exact): (4e) e rounds
// once where the result is subnormal, so it is 0 only where the true value is below half the
// smallest subnormal. NaN gives NaN, +-inf give 0.
template <class T> T tanh_d1_saturated(T x) {
    const T e = math::exp(-math::abs(x));
    const T q = T(1) + e * e;
    return (T(4) * e) * e / (q * q);
}
// sigmoid'(x) = e / (1 + e)^2 with e = e^-x, for x > 0 (where s(1 - s) loses s's bits).
template <class T> T sigmoid_d1_saturated(T x) {
    const T e = math::exp(-x);
    const T q = T(1) + e;
    return e / (q * q);
}
}  // namespace detail

// g(x) = tanh(x). Float uses the library's own rational tanh (core/tanh_float.hpp: the same bits
// on every target); value is inlined at -Os too. g' keeps its relative accuracy in saturation
// (detail::tanh_d1_switch).
struct tanh {
    static constexpr activation_id id = activation_id::tanh;
    static constexpr const char* name = "tanh";
    template <class T> TWOLAYER_INLINE static T value(T x) { return math::tanh(x); }
    template <class T> static T d1(T x) { return d1_from_cache(x, math::tanh(x)); }
    // g' from the forward cache, lambda = x and g = tanh(x): 1 - g^2 (no tanh again) where that
    // is accurate, the exp form in saturation; the same bits as d1(x).
    template <class T> static T d1_from_cache(T x, T g) {
        if (math::abs(x) <= detail::tanh_d1_switch<T>()) return T(1) - g * g;
        return detail::tanh_d1_saturated(x);
    }
    template <class T> static T d2(T x) { T t = math::tanh(x); return T(-2) * t * d1_from_cache(x, t); }
};

// g(x) = 1 / (1 + exp(-x)), without overflow for any x. g' keeps its relative accuracy in
// saturation (detail::sigmoid_d1_switch; for x < 0, s is small and s (1 - s) is accurate).
struct sigmoid {
    static constexpr activation_id id = activation_id::sigmoid;
    static constexpr const char* name = "sigmoid";
    template <class T> static T value(T x) { return math::sigmoid(x); }
    template <class T> static T d1(T x) { return d1_from_cache(x, value(x)); }
    // g' from the forward cache, lambda = x and s = g: s (1 - s) where accurate, else the exp form;
    // the same bits as d1(x). (NaN fails the comparison and gives NaN either way.)
    template <class T> static T d1_from_cache(T x, T s) {
        if (!(x > detail::sigmoid_d1_switch<T>())) return s * (T(1) - s);
        return detail::sigmoid_d1_saturated(x);
    }
    template <class T> static T d2(T x) { T s = value(x); return d1_from_cache(x, s) * (T(1) - T(2) * s); }
};

// g(x) = x (the network is then linear in x).
struct linear {
    static constexpr activation_id id = activation_id::linear;
    static constexpr const char* name = "linear";
    template <class T> static T value(T x) { return x; }
    template <class T> static T d1(T) { return T(1); }
    template <class T> static T d2(T) { return T(0); }
};

// g(x) = |x|; g'(0) = 0.
struct abs {
    static constexpr activation_id id = activation_id::abs;
    static constexpr const char* name = "abs";
    template <class T> static T value(T x) { return x < T(0) ? -x : x; }
    template <class T> static T d1(T x) { return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0)); }
    template <class T> static T d2(T) { return T(0); }
};

}  // namespace act

// Whether Act gives g'(x) from the forward cache (d1_from_cache(lambda, g): tanh, sigmoid).
template <class Act, class = void>
struct has_d1_from_cache : std::false_type {};
template <class Act>
struct has_d1_from_cache<Act, decltype(void(Act::template d1_from_cache<float>(0.0f, 0.0f)))> : std::true_type {};

// g'(lambda) for the backward pass, given the forward cache's lambda and g = Act::value(lambda):
// from g where the activation can (no second evaluation of tanh or exp in the common case), else
// Act::d1(lambda). Always the bits of Act::d1(lambda).
template <class Act, class T>
TWOLAYER_INLINE T d1_cached(T lambda, T g) {
    if constexpr (has_d1_from_cache<Act>::value) {
        return Act::d1_from_cache(lambda, g);
    } else {
        (void)g;
        return Act::d1(lambda);
    }
}

// Calls f(Act{}) with the activation type named by id: the bridge from a run-time choice
// (a command-line flag) to the compile-time activation types.
template <class F>
decltype(auto) with_activation(activation_id id, F&& f) {
    switch (id) {
        case activation_id::erf: return f(act::erf{});
        case activation_id::relu: return f(act::relu{});
        case activation_id::quadratic: return f(act::quadratic{});
        case activation_id::tanh: return f(act::tanh{});
        case activation_id::sigmoid: return f(act::sigmoid{});
        case activation_id::linear: return f(act::linear{});
        case activation_id::abs: break;
    }
    return f(act::abs{});
}

// The name of an activation ("erf", "relu", ...).
inline const char* activation_name(activation_id id) {
    return with_activation(id, [](auto a) { return decltype(a)::name; });
}

// g_k = Act(lambda_k), the activation map of the forward pass, in the arithmetic type C: float
// tanh through kernels::tanh_map (lanes where the arch has them, the same bits as Act::value),
// every other activation and type element by element.
template <class Act, class C, index_t E1, index_t E2, class Arch>
void activate(Act, vec_view<const C, E1> lambda, vec_view<C, E2> g, Arch arch) {
    if constexpr (std::is_same<Act, act::tanh>::value && std::is_same<C, float>::value) {
        kernels::tanh_map(lambda, g, arch);
    } else {
        (void)arch;
        for (index_t k = 0; k < lambda.size(); ++k) g[k] = Act::value(lambda[k]);
    }
}

}  // namespace twolayer
