// Losses l(yhat, y) with their derivative d l / d yhat.
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
// Used for last-layer retraining on imbalanced classes with labels +-1.
template <class T>
struct weighted_squared_loss {
    static constexpr const char* name = "weighted_squared";
    T weight_positive = T(1);
    T weight_negative = T(1);
    T weight(T y) const { return y > T(0) ? weight_positive : weight_negative; }
    T value(T yhat, T y) const { T d = yhat - y; return weight(y) * T(0.5) * d * d; }
    T deriv(T yhat, T y) const { return weight(y) * (yhat - y); }
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
