#include "eps_g.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/teacher/generalization_error.hpp"
#include "file_inputs.hpp"

namespace twolayer::tool {

namespace {

template <class Act>
constexpr bool closed_form_exists = std::is_same<Act, act::erf>::value || std::is_same<Act, act::relu>::value ||
                                    std::is_same<Act, act::quadratic>::value || std::is_same<Act, act::linear>::value;

// 0.5 [sum_ik v_i v_k K(Q) + sum_nm v*_n v*_m K(T) - 2 sum_in v_i v*_n K(R)], K = E[g(a) g(b)].
template <class Act>
double closed_form(const order_parameter_values& o, const std::vector<double>& v, const std::vector<double>& vs) {
    const Act g{};
    const long P = o.P, PT = o.P_star;
    const auto Q = [&](long i, long k) { return o.Q[std::size_t(i * P + k)]; };
    const auto R = [&](long i, long n) { return o.R[std::size_t(i * PT + n)]; };
    const auto T = [&](long n, long m) { return o.T[std::size_t(n * PT + m)]; };
    double ss = 0, tt = 0, st = 0;
    for (long i = 0; i < P; ++i)
        for (long k = 0; k < P; ++k) ss += v[std::size_t(i)] * v[std::size_t(k)] * kernel_of::value(g, Q(i, i), Q(k, k), Q(i, k));
    for (long n = 0; n < PT; ++n)
        for (long m = 0; m < PT; ++m)
            tt += vs[std::size_t(n)] * vs[std::size_t(m)] * kernel_of::value(g, T(n, n), T(m, m), T(n, m));
    for (long i = 0; i < P; ++i)
        for (long n = 0; n < PT; ++n)
            st += v[std::size_t(i)] * vs[std::size_t(n)] * kernel_of::value(g, Q(i, i), T(n, n), R(i, n));
    return 0.5 * (ss + tt - 2 * st);
}

// Test inputs per block: a few MB of doubles at the largest N.
constexpr long block_samples = 64;

}  // namespace

double closed_form_eps_g(activation_id act, const initial_weights& w) {
    const order_parameter_values o = order_parameters_of(w);
    return with_activation(act, [&](auto a) -> double {
        using Act = decltype(a);
        if constexpr (closed_form_exists<Act>) return closed_form<Act>(o, w.v, w.v_star);
        else throw std::logic_error(std::string("closed_form_eps_g: no closed form for ") + Act::name);
    });
}

test_set::test_set(const train_settings& s, long job, teacher_network& teacher)
    : seed_(s.model.seed), stream_(stream_of(job, job_stream::test_set)), N_(s.model.N), count_(s.test_samples),
      labels_(std::size_t(s.test_samples)) {
    for_each_block([&](const double* X, long first, long n) {
        for (long i = 0; i < n; ++i) labels_[std::size_t(first + i)] = teacher.output(X + std::size_t(i * N_));
    });
}

template <class F>
void test_set::for_each_block(F&& f) const {
    gaussian_block<double> gen(seed_, stream_);
    std::vector<double> X(std::size_t(block_samples * N_));
    for (long first = 0; first < count_; first += block_samples) {
        const long n = count_ - first < block_samples ? count_ - first : block_samples;
        gen.fill(X.data(), index_t(n * N_));
        f(X.data(), first, n);
    }
}

eps_g_value test_set::measure(chain& c) const {
    double sum = 0, sum2 = 0;
    std::vector<double> out(static_cast<std::size_t>(block_samples));
    for_each_block([&](const double* X, long first, long n) {
        c.student_outputs(X, n, out.data());
        for (long i = 0; i < n; ++i) {
            const double d = out[std::size_t(i)] - labels_[std::size_t(first + i)];
            const double e = 0.5 * d * d;
            sum += e;
            sum2 += e * e;
        }
    });
    const double n = double(count_), mean = sum / n;
    const double var = n > 1 ? (sum2 - n * mean * mean) / (n - 1) : 0.0;
    return {mean, std::sqrt(var > 0 ? var / n : 0.0)};
}

eps_g_meter::eps_g_meter(const train_settings& s, long job, const initial_weights& start, teacher_network& teacher)
    : act_(s.model.act), defined_(!(s.read && s.read->has_data() && !s.read->has_teacher())),
      closed_(has_closed_form(s.model.act, s.model.teacher_act)), w_(start) {
    if (defined_ && !closed_) test_.emplace_back(s, job, teacher);
}

eps_g_value eps_g_meter::measure(chain& c) {
    if (!defined_) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    if (!closed_) return test_.front().measure(c);
    c.student_weights(w_.W, w_.v);
    return {closed_form_eps_g(act_, w_), 0.0};
}

}  // namespace twolayer::tool
