// The teacher of a chain: P* units in double with the activation chosen at run time
// (--teacher-act), computed by the library's forward pass on dynamic-extent views, whatever the
// student's format (the labels are exact to double; the student sees them in its compute type).
#pragma once
#include <memory>

#include "twolayer/model/activation.hpp"
#include "initial_weights.hpp"

namespace twolayer::tool {

/// y* = sum_n v*_n g*(w*_n . x / sqrt N), in double.
class teacher_network {
public:
    /// The teacher of w (W_star, v_star) with activation act.
    teacher_network(const initial_weights& w, activation_id act);
    ~teacher_network();
    teacher_network(const teacher_network&) = delete;
    teacher_network& operator=(const teacher_network&) = delete;

    /// The output on x (N values). Not const: the forward pass fills the network's cache.
    double output(const double* x);

    /// The body behind output(), one per activation (teacher.cpp).
    struct body {
        virtual ~body() = default;
        virtual double output(const double* x) = 0;
    };

private:
    std::unique_ptr<body> body_;
};

}  // namespace twolayer::tool
