// One teacher-student run in a chosen number format, for comparing formats on the same task:
// the student starts from a double initialization rounded into its format and sees an input
// stream drawn in double and rounded into its format; a double teacher labels. Every run with the
// same seed therefore differs only by its format, its rounding and the optional master copy.
// Reports the generalization error (closed form from the stored weights) at given times
// t = steps / N. Used by tools/examples/format_training and tests/test_format_training.cpp.
#pragma once
#include "twolayer/model/convert.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/teacher/generalization_error.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/train/online_sgd.hpp"

namespace twolayer {

struct format_run_config {
    double lr = 0.2;      // lr_w = lr_v, teacher-student scaling
    double sigma = 0.0;   // label noise
    std::uint64_t seed = 1;
};

struct format_run_result {
    static constexpr int max_points = 16;
    double eg[max_points] = {};  // eps_g at each requested time
    int points = 0;
    std::uint64_t refused = 0;   // steps the guard refused (0 in a healthy run)
};

// times: increasing t values, at most max_points; the run ends at the last one.
template <class F, class Act, index_t N, index_t P, index_t PT, class Rounding>
format_run_result run_in_format(const format_run_config& cfg, const double* times, int n_times, Rounding rounding,
                                bool use_master) {
    using S = storage_t<F>;
    using C = compute_t<F>;
    // Static: sizable for a microcontroller's stack; one run at a time.
    static network<double, N, PT, Act> teacher;
    static network<double, N, P, Act> start;
    static network<F, N, P, Act> student;
    static master_weights<F, N, P> master;
    gaussian_rng init(cfg.seed, 0);
    init_network(teacher.ref(), init);
    init_network(start.ref(), init, second_layer_init::inv_p);
    convert_network(start, student);
    master.load(student);

    train_config<C> tc;
    tc.lr_w = tc.lr_v = C(cfg.lr);
    online_sgd<F, squared_loss, Rounding> sgd(tc, squared_loss{}, rounding);
    gaussian_rng data(cfg.seed, 1);
    double xd[N];
    S xs[N];
    const vec_view<const double, N> xdv(xd, N);
    const vec_view<const S, N> xsv(xs, N);

    format_run_result res;
    if (n_times > format_run_result::max_points) n_times = format_run_result::max_points;
    for (std::uint64_t step = 0; res.points < n_times; ++step) {
        while (res.points < n_times && times[res.points] * double(N) <= double(step))
            res.eg[res.points++] = generalization_error(student, teacher);
        if (res.points == n_times) break;
        for (index_t j = 0; j < N; ++j) xs[j] = format_traits<F>::from_double(xd[j] = data.next());
        const double y = teacher.forward(xdv) + cfg.sigma * data.next();
        const step_result<C> r =
            use_master ? sgd.step(student, master.ref(), xsv, C(y)) : sgd.step(student, xsv, C(y));
        if (!r) ++res.refused;
    }
    return res;
}

}  // namespace twolayer
