// Learning curve of online SGD in the teacher-student setup: an erf student with P = 4 hidden
// units learns an erf teacher with P* = 2 (soft committee machines, second layers fixed to 1),
// N = 500. Prints eps_g (closed form from the order parameters) at log-spaced times t = steps/N:
// the plateau where the student units stay symmetric, then the escape. At the end it checks the
// closed form against a Monte-Carlo estimate on fresh inputs.
//
// usage: learning_curve [--t-max T] [--lr ETA] [--init-scale S] [--seed K] [--mc-samples M]
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "twolayer/kernels/xsimd.hpp"
#include "twolayer/teacher/generalization_error.hpp"
#include "twolayer/twolayer.hpp"
#include "cli_number.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 500, P = 4, PT = 2;
using fast = arch::simd<xsimd::default_arch>;

struct options {
    double t_max = 2000, lr = 0.5, init_scale = 1e-3;
    unsigned long seed = 1, mc_samples = 4000000;
};

bool parse(int argc, char** argv, options& o) {
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
            std::printf("usage: learning_curve [--t-max T] [--lr ETA] [--init-scale S] [--seed K] [--mc-samples M]\n");
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "learning_curve: %s needs a value (see --help)\n", a);
            return false;
        }
        const char* v = argv[++i];
        double d = 0;
        if (!std::strcmp(a, "--t-max")) { if (!parse_number("learning_curve", a, v, 1, 1e6, o.t_max)) return false; }
        else if (!std::strcmp(a, "--lr")) { if (!parse_number("learning_curve", a, v, 1e-6, 10, o.lr)) return false; }
        else if (!std::strcmp(a, "--init-scale")) { if (!parse_number("learning_curve", a, v, 0, 10, o.init_scale)) return false; }
        else if (!std::strcmp(a, "--seed")) { if (!parse_number("learning_curve", a, v, 0, 4e9, d)) return false; o.seed = (unsigned long)d; }
        else if (!std::strcmp(a, "--mc-samples")) { if (!parse_number("learning_curve", a, v, 1000, 1e9, d)) return false; o.mc_samples = (unsigned long)d; }
        else {
            std::fprintf(stderr, "learning_curve: unknown option '%s' (see --help)\n", a);
            return false;
        }
    }
    return true;
}

network<double, N, P, act::erf> student;
network<double, N, PT, act::erf> teacher;

}  // namespace

int main(int argc, char** argv) {
    options o;
    if (!parse(argc, argv, o)) return 2;
    gaussian_rng g(o.seed, 0), stream(o.seed, 1), test(o.seed, 2);
    init_network(teacher, g);  // v* = 1
    init_first_layer_gaussian(student, g, o.init_scale);
    init_second_layer(student, second_layer_init::one);
    train_config<double> c;
    c.lr_w = o.lr;
    c.train_v = false;  // soft committee machine
    online_sgd<double> sgd(c);

    std::printf("# erf student P = %zu, erf teacher P* = %zu, N = %zu, lr %g, init scale %g, seed %lu\n",
                std::size_t(P), std::size_t(PT), std::size_t(N), o.lr, o.init_scale, o.seed);
    std::printf("# %10s %14s\n", "t", "eps_g");
    double x[N];
    const auto total = static_cast<unsigned long long>(o.t_max * N);
    double next_report = 1.0 / N;
    for (unsigned long long step = 0;; ++step) {
        const double t = double(step) / N;
        if (t >= next_report || step == total) {
            std::printf("  %10.3f %14.6e\n", t, generalization_error(student, teacher));
            std::fflush(stdout);
            next_report *= 1.25;
        }
        if (step == total) break;
        for (double& xi : x) xi = stream.next();
        const step_result<double> r = sgd.step(student, x, teacher.forward(x, fast{}), fast{});
        if (!r) {
            std::fprintf(stderr, "learning_curve: step %llu refused: %s\n", step, to_string(r.status));
            return 1;
        }
    }
    const double closed = generalization_error(student, teacher);
    double m1 = 0, m2 = 0;
    for (unsigned long i = 0; i < o.mc_samples; ++i) {
        for (double& xi : x) xi = test.next();
        const double d = student.forward(x, fast{}) - teacher.forward(x, fast{});
        m1 += 0.5 * d * d;
        m2 += 0.25 * d * d * d * d;
    }
    m1 /= double(o.mc_samples);
    const double se = std::sqrt((m2 / double(o.mc_samples) - m1 * m1) / double(o.mc_samples));
    std::printf("# final eps_g: closed form %.6e, Monte Carlo (%lu fresh inputs) %.6e +- %.1e, relative difference %.1e\n",
                closed, o.mc_samples, m1, se, std::fabs(closed - m1) / closed);
    return 0;
}
