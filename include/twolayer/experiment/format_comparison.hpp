// Teacher-student runs in several number formats side by side, for comparing formats on the same
// task: every student starts from the same double initialization rounded into its format, and at
// every step all of them see the same input (drawn once in double, rounded into each format) and
// the same label from a double teacher. Runs with the same seed differ only by format, rounding
// and the optional master copy. Reports each student's generalization error (closed form from its
// stored weights) at given times t = steps / N. Used by tools/examples/format_training and
// tests/test_format_training.cpp.
#pragma once
#include "twolayer/model/convert.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/teacher/generalization_error.hpp"
#include "twolayer/teacher/rng.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/train/online_sgd.hpp"

namespace twolayer {

// The shared settings of one comparison run.
struct format_run_config {
    double lr = 0.2;      // lr_w = lr_v, teacher-student scaling
    double sigma = 0.0;   // label noise
    std::uint64_t seed = 1;
};

// What one student reports: eps_g at each requested time and the steps the guard refused.
struct format_run_result {
    static constexpr int max_points = 16;
    double eg[max_points] = {};  // eps_g at each requested time
    int points = 0;
    std::uint64_t refused = 0;   // steps the guard refused (0 in a healthy run)
};

// One student of a comparison: a network in format F trained by online SGD with Rounding,
// optionally through a float/double master copy. Sizable: give it static storage on a device.
template <class F, class Act, index_t N, index_t P, class Rounding = round_nearest>
class format_student {
    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    explicit format_student(Rounding r = Rounding{}, bool use_master = false)
        : sgd_(train_config<C>{}, squared_loss{}, r), use_master_(use_master) {}

    void start(const network<double, N, P, Act>& init, const format_run_config& cfg) {
        convert_network(init, net_);
        master_.load(net_);
        sgd_.config.lr_w = sgd_.config.lr_v = C(cfg.lr);
        result = {};
    }
    void step(const double* x, double y) {
        for (index_t j = 0; j < N; ++j) xs_[j] = format_traits<F>::from_double(x[j]);
        const step_result<C> r = use_master_ ? sgd_.step(net_, master_, xs_, C(y)) : sgd_.step(net_, xs_, C(y));
        if (!r) ++result.refused;
    }
    template <index_t PT>
    void record(network<double, N, PT, Act>& teacher) {
        if (result.points < format_run_result::max_points) result.eg[result.points++] = generalization_error(net_, teacher);
    }

    format_run_result result;

private:
    network<F, N, P, Act> net_;
    master_weights<F, N, P> master_;
    online_sgd<F, squared_loss, Rounding> sgd_;
    bool use_master_;
    S xs_[N];
};

// Trains every student to the last of times (increasing, at most max_points values).
template <class Act, index_t N, index_t P, index_t PT, class... Students>
void run_formats(const format_run_config& cfg, const double* times, int n_times, Students&... students) {
    static network<double, N, PT, Act> teacher;
    static network<double, N, P, Act> init;
    gaussian_rng g(cfg.seed, 0);
    init_network(teacher, g);
    init_network(init, g, second_layer_init::inv_p);
    (students.start(init, cfg), ...);
    gaussian_rng data(cfg.seed, 1);
    double x[N];
    if (n_times > format_run_result::max_points) n_times = format_run_result::max_points;
    int point = 0;
    for (std::uint64_t step = 0; point < n_times; ++step) {
        while (point < n_times && times[point] * double(N) <= double(step)) {
            (students.record(teacher), ...);
            ++point;
        }
        if (point == n_times) break;
        for (index_t j = 0; j < N; ++j) x[j] = data.next();
        const double y = teacher.forward(x) + cfg.sigma * data.next();
        (students.step(x, y), ...);
    }
}

}  // namespace twolayer
