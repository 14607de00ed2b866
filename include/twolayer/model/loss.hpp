// Losses l(yhat, y) with their first and second derivatives in yhat. A loss is a type with
// value(yhat, y), deriv(yhat, y) = d l / d yhat and deriv2(yhat, y) = d^2 l / d yhat^2 in the
// compute type, and a name; the trainers take one as a template argument (they call value and
// deriv), the Hessian-vector product (analysis/hvp.hpp) calls all three.
#pragma once
#include "twolayer/core/math.hpp"

namespace twolayer {

// 0.5 (yhat - y)^2: the teacher-student regression loss.
struct squared_loss {
    static constexpr const char* name = "squared";
    template <class T> T value(T yhat, T y) const { T d = yhat - y; return T(0.5) * d * d; }
    template <class T> T deriv(T yhat, T y) const { return yhat - y; }
    template <class T> T deriv2(T, T) const { return T(1); }
};

// w_c 0.5 (yhat - y)^2 with the class read from the label's sign (y > 0: positive class).
// Used for last-layer retraining on imbalanced classes with labels +-1. C: the compute type.
template <class C>
struct weighted_squared_loss {
    static constexpr const char* name = "weighted_squared";
    C weight_positive = C(1);
    C weight_negative = C(1);
    C weight(C y) const { return y > C(0) ? weight_positive : weight_negative; }
    C value(C yhat, C y) const { C d = yhat - y; return weight(y) * C(0.5) * d * d; }
    C deriv(C yhat, C y) const { return weight(y) * (yhat - y); }
    C deriv2(C, C y) const { return weight(y); }
};

// log(1 + exp(-y yhat)) for labels y = +-1, computed without overflow.
struct logistic_loss {
    static constexpr const char* name = "logistic";
    template <class T> static T softplus(T z) {
        return z > T(0) ? z + math::log1p(math::exp(-z)) : math::log1p(math::exp(z));
    }
    template <class T> T value(T yhat, T y) const { return softplus(-y * yhat); }
    template <class T> T deriv(T yhat, T y) const { return -y * math::sigmoid(-y * yhat); }
    // y^2 s(m) s(-m), m = y yhat: both factors from the overflow-free sigmoid, so a large margin
    // gives a small positive value with its relative accuracy (s (1 - s) would round to 0 there).
    template <class T> T deriv2(T yhat, T y) const {
        const T m = y * yhat;
        return y * y * math::sigmoid(m) * math::sigmoid(-m);
    }
};

}  // namespace twolayer
