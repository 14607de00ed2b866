// The one place a number format is described: storage type, accumulator type, conversions from
// and to double, resolution and range. Kernels, trainers and test tolerances read these traits;
// adding a format means adding one specialization here (plus its scalar kernels).
#pragma once
#include <cfloat>

namespace twolayer {

template <class T>
struct format_traits;  // undefined: a type without traits is not a number format

template <>
struct format_traits<float> {
    using storage = float;
    using accum = float;
    static constexpr const char* name = "float";
    static constexpr double resolution = FLT_EPSILON;  // spacing of values near 1
    static constexpr double max = FLT_MAX;
    static constexpr float from_double(double x) { return static_cast<float>(x); }
    static constexpr double to_double(float x) { return x; }
};

template <>
struct format_traits<double> {
    using storage = double;
    using accum = double;
    static constexpr const char* name = "double";
    static constexpr double resolution = DBL_EPSILON;
    static constexpr double max = DBL_MAX;
    static constexpr double from_double(double x) { return x; }
    static constexpr double to_double(double x) { return x; }
};

template <class T>
using accum_t = typename format_traits<T>::accum;

}  // namespace twolayer
