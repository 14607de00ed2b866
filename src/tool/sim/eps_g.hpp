// The generalization error of a chain's student, eps_g = 0.5 E[(yhat - y*)^2] over fresh
// Gaussian inputs (no noise): the closed form from the order parameters where the activations
// have one (settings.hpp, has_closed_form), else a Monte-Carlo mean over a fixed test set with
// its standard error.
#pragma once
#include <vector>

#include "chain.hpp"

namespace twolayer::tool {

/// eps_g and its standard error (0 for the closed form).
struct eps_g_value {
    double value = 0;
    double se = 0;
};

/// The closed form for student and teacher of activation act (erf, relu, quadratic or linear)
/// from their weights in double (w.W, w.v: the student; w.W_star, w.v_star: the teacher), through
/// the kernels of teacher/generalization_error.hpp.
double closed_form_eps_g(activation_id act, const initial_weights& w);

/// The test set of job j: test_samples inputs drawn in double from the job's `test_set` stream
/// (the same for every format, so formats compare on one test set) and the teacher's clean
/// labels. The inputs are drawn again at every measurement, in blocks, rather than kept (at
/// N = 10^4, 10^4 samples would be 800 MB per chain); the stream makes them the same every time.
class test_set {
public:
    test_set(const train_settings& s, long job, teacher_network& teacher);
    /// eps_g of the chain's student on this set and its standard error.
    eps_g_value measure(chain& c) const;

private:
    template <class F>
    void for_each_block(F&& f) const;

    std::uint64_t seed_, stream_;
    long N_, count_;
    std::vector<double> labels_;
};

/// Measures eps_g as the settings call for: the closed form, or the chain's test set; NaN (value
/// and se) when the dataset came from --data without --teacher: there is no teacher to compare with.
class eps_g_meter {
public:
    eps_g_meter(const train_settings& s, long job, const initial_weights& start, teacher_network& teacher);
    eps_g_value measure(chain& c);

private:
    activation_id act_;
    bool defined_, closed_;
    initial_weights w_;  // the teacher's weights, and the student's of the last measurement
    std::vector<test_set> test_;  // empty with a closed form
};

}  // namespace twolayer::tool
