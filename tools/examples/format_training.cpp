// The same teacher-student run in every number format: an erf student (N = 64, P = 4, both
// layers trained) learns an erf teacher (P* = 2) by online SGD. Every run starts from the same
// double initialization (rounded into its format) and sees the same input stream (drawn in double,
// rounded into its format); the teacher labels in double. Prints the generalization error (closed
// form, computed from the stored weights) at log-spaced times t = steps / N, and its ratio to the
// double run at the end. docs/FORMATS.md quotes this tool's output.
//
// usage: format_training [--t-max T] [--lr ETA] [--sigma S] [--seed K]
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "twolayer/experiment/format_comparison.hpp"
#include "twolayer/twolayer.hpp"
#include "cli_number.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 64, P = 4, PT = 2;
constexpr double checkpoints[] = {1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000};

struct options {
    double t_max = 1000, lr = 0.2, sigma = 0.0;
    unsigned long seed = 1;
};

bool parse(int argc, char** argv, options& o) {
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
            std::printf("usage: format_training [--t-max T] [--lr ETA] [--sigma S] [--seed K]\n");
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "format_training: %s needs a value (see --help)\n", a);
            return false;
        }
        const char* v = argv[++i];
        double d = 0;
        if (!std::strcmp(a, "--t-max")) { if (!parse_number("format_training", a, v, 1, 1e5, o.t_max)) return false; }
        else if (!std::strcmp(a, "--lr")) { if (!parse_number("format_training", a, v, 1e-6, 10, o.lr)) return false; }
        else if (!std::strcmp(a, "--sigma")) { if (!parse_number("format_training", a, v, 0, 10, o.sigma)) return false; }
        else if (!std::strcmp(a, "--seed")) { if (!parse_number("format_training", a, v, 0, 4e9, d)) return false; o.seed = (unsigned long)d; }
        else {
            std::fprintf(stderr, "format_training: unknown option %s (see --help)\n", a);
            return false;
        }
    }
    return true;
}

// Forward error against double: 2000 random networks (W ~ N(0, 1), v ~ N(0, 1/4), biases) and
// inputs x ~ N(0, I), rounded into F; max and rms of |yhat_F - yhat_double| and of the
// pre-activations.
template <class F>
void forward_error(const char* name) {
    using S = storage_t<F>;
    gaussian_rng g(77);
    static network<double, N, P, act::erf> d;
    static network<F, N, P, act::erf> f;
    double x[N], ymax = 0, yss = 0, lmax = 0, lss = 0;
    S xs[N];
    const int reps = 2000;
    for (int rep = 0; rep < reps; ++rep) {
        init_network(d, g);
        for (index_t k = 0; k < P; ++k) d.v_mut()[k] = 0.5 * g.next(), d.hidden_bias_mut()[k] = 0.3 * g.next();
        d.use_hidden_bias(true);
        convert_network(d, f);
        for (index_t j = 0; j < N; ++j) xs[j] = format_traits<F>::from_double(x[j] = g.next());
        const double e = std::fabs(double(f.forward(xs)) - d.forward(x));
        ymax = std::fmax(ymax, e);
        yss += e * e;
        for (index_t k = 0; k < P; ++k) {
            const double el = std::fabs(double(f.lambda()[k]) - d.lambda()[k]);
            lmax = std::fmax(lmax, el);
            lss += el * el;
        }
    }
    std::printf("| %-8s | %-7s | %9.2e | %9.2e | %9.2e | %9.2e |\n", name, format_traits<compute_t<F>>::name,
                std::sqrt(lss / (reps * double(P))), lmax, std::sqrt(yss / reps), ymax);
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    if (!parse(argc, argv, o)) return 2;
    std::printf("# forward pass against double, erf, N = %zu, P = %zu, 2000 random networks and inputs\n", N, P);
    std::printf("| format   | compute | lambda rms | lambda max | yhat rms | yhat max |\n|---|---|---|---|---|---|\n");
    forward_error<float>("float");
    forward_error<f16>("f16");
    forward_error<bf16>("bf16");
    forward_error<q3_12>("q3_12");
    forward_error<q4_27>("q4_27");
    forward_error<mixed<q4_27, double>>("q4_27");
    std::printf("\n# online SGD, erf, N = %zu, P = %zu, P* = %zu, lr = %g, sigma = %g, seed = %lu\n", N, P, PT, o.lr,
                o.sigma, o.seed);
    static double times[format_run_result::max_points];
    int n = 0;
    while (n < int(sizeof checkpoints / sizeof checkpoints[0]) && checkpoints[n] < o.t_max) times[n] = checkpoints[n], ++n;
    times[n++] = o.t_max;
    format_run_config cfg;
    cfg.lr = o.lr;
    cfg.sigma = o.sigma;
    cfg.seed = o.seed;
    using A = act::erf;
    static format_student<double, A, N, P> d;
    static format_student<float, A, N, P> fl;
    static format_student<bf16, A, N, P> bn;
    static format_student<bf16, A, N, P, stochastic_rounding> bs{stochastic_rounding(o.seed)};
    static format_student<bf16, A, N, P> bm{round_nearest{}, true};
    static format_student<f16, A, N, P> hn;
    static format_student<f16, A, N, P, stochastic_rounding> hs{stochastic_rounding(o.seed)};
    static format_student<q3_12, A, N, P> qn;
    static format_student<q3_12, A, N, P, stochastic_rounding> qs{stochastic_rounding(o.seed)};
    static format_student<q3_12, A, N, P> qm{round_nearest{}, true};
    static format_student<q4_27, A, N, P> q31;
    run_formats<A, N, P, PT>(cfg, times, n, d, fl, bn, bs, bm, hn, hs, qn, qs, qm, q31);
    const struct { const char* name; const format_run_result& r; } rows[] = {
        {"double", d.result}, {"float", fl.result}, {"bf16 nearest", bn.result}, {"bf16 stochastic", bs.result},
        {"bf16 + float master", bm.result}, {"f16 nearest", hn.result}, {"f16 stochastic", hs.result},
        {"q3_12 nearest", qn.result}, {"q3_12 stochastic", qs.result}, {"q3_12 + float master", qm.result},
        {"q4_27 nearest", q31.result}};
    const int last = n - 1;
    std::printf("%-22s", "t =");
    for (int i = 0; i < n; ++i) std::printf(" %9g", times[i]);
    std::printf("   final/double  refused\n");
    for (const auto& row : rows) {
        std::printf("%-22s", row.name);
        for (int i = 0; i <= last; ++i) std::printf(" %9.2e", row.r.eg[i]);
        std::printf("   %12.3g  %7lu\n", row.r.eg[last] / d.result.eg[last], (unsigned long)row.r.refused);
    }
    return 0;
}
