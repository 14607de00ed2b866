// Losses l(yhat, y) with their derivative d l / d yhat. A loss is a type with value(yhat, y) and
// deriv(yhat, y) in the compute type, and a name; the trainers take one as a template argument.
#pragma once
#include "twolayer/core/math.hpp"

namespace twolayer {

// 0.5 (yhat - y)^2: the teacher-student regression loss.
struct squared_loss {
    static constexpr const char* name = "squared";
    template <class T> T value(T yhat, T y) const { T d = yhat - y; return T(0.5) * d * d; }
    template <class T> T deriv(T yhat, T y) const { return yhat - y; }
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
};

// log(1 + exp(-y yhat)) for labels y = +-1, computed without overflow.
struct logistic_loss {
    static constexpr const char* name = "logistic";
    template <class T> static T softplus(T z) {
        return z > T(0) ? z + math::log1p(math::exp(-z)) : math::log1p(math::exp(z));
    }
    template <class T> T value(T yhat, T y) const { return softplus(-y * yhat); }
    template <class T> T deriv(T yhat, T y) const { return -y * math::sigmoid(-y * yhat); }
};

}  // namespace twolayer
