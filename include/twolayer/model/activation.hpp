// Activation functions g with first and second derivatives. Each is a type (compile-time choice
// on the device) with static value(x), d1(x) = g'(x), d2(x) = g''(x) for any arithmetic type, an id
// and a name; activation_id names them at run time for host tools.
#pragma once
#include <type_traits>

#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/kernels/scalar.hpp"

namespace twolayer {

// The activations by name, for run-time choices (with_activation below).
enum class activation_id { erf, relu, quadratic, tanh, sigmoid, linear, abs };

namespace act {

// An activation may also give g'(x) from g(x) (tanh, sigmoid): the backward pass then reuses the
// forward cache instead of evaluating the function again. has_d1_from_value tells which do.

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

// g(x) = tanh(x). Float uses the library's own rational tanh (core/tanh_float.hpp: the same bits
// on every target); value is inlined at -Os too.
struct tanh {
    static constexpr activation_id id = activation_id::tanh;
    static constexpr const char* name = "tanh";
    template <class T> TWOLAYER_INLINE static T value(T x) { return math::tanh(x); }
    template <class T> static T d1(T x) { T t = math::tanh(x); return T(1) - t * t; }
    // g' from g = tanh(x) itself: the same operations on the same value as d1, without tanh again.
    template <class T> static T d1_from_value(T g) { return T(1) - g * g; }
    template <class T> static T d2(T x) { T t = math::tanh(x); return T(-2) * t * (T(1) - t * t); }
};

// g(x) = 1 / (1 + exp(-x)), without overflow for any x.
struct sigmoid {
    static constexpr activation_id id = activation_id::sigmoid;
    static constexpr const char* name = "sigmoid";
    template <class T> static T value(T x) { return math::sigmoid(x); }
    template <class T> static T d1(T x) { T s = value(x); return s * (T(1) - s); }
    template <class T> static T d1_from_value(T s) { return s * (T(1) - s); }
    template <class T> static T d2(T x) { T s = value(x); return s * (T(1) - s) * (T(1) - T(2) * s); }
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

// Whether Act gives g'(x) from g(x) (d1_from_value): then the backward pass reuses the forward
// cache (network.hpp, backward_signal).
template <class Act, class = void>
struct has_d1_from_value : std::false_type {};
template <class Act>
struct has_d1_from_value<Act, decltype(void(Act::template d1_from_value<float>(0.0f)))> : std::true_type {};

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
