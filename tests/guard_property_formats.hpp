// The formats and paths the property test runs (guard_property.hpp), and the runs themselves.
#pragma once

namespace guard_property {

// What to run: steps per format (shared among its paths), the seed, and optionally one path
// (its name as printed, e.g. "fused/dyn" or "gd_mini/master").
struct options {
    long steps = 1000;
    std::uint64_t seed = 1;
    const char* only_path = nullptr;
};

inline bool name_is(const char* a, const char* b) { return std::strcmp(a, b) == 0; }

inline std::uint64_t run_seed(std::uint64_t base, int format_index, int run_index) {
    rng64 r(base * 1000003u + std::uint64_t(format_index) * 64u + std::uint64_t(run_index));
    return r.next();
}

// The runs of one format: every online path with static and dynamic sizes, every batch path;
// master paths for narrow formats; stochastic rounding for narrow formats on an online and a
// batch path (with a master the network is stored to nearest).
template <class F>
struct format_runs {
    const char* format;
    int index;
    const options& opt;
    long per_run;
    long violations = 0;
    int run_index = 0;

    static constexpr bool narrow = !is_native_v<F>;
    template <class Rnd, path Pth, bool Dyn>
    void one(const char* name) {
        const int ri = run_index++;
        if (opt.only_path && !name_is(opt.only_path, name)) return;
        stats st;
        st.format = format;
        st.path = name;
        st.seed = run_seed(opt.seed, index, ri);
        runner<F, Rnd> rn(st.seed);
        rn.template run<Pth, Dyn>(st, per_run);
        print_stats(st);
        violations += st.violations();
    }

#ifdef TL_GUARD_PROPERTY_SMALL
    // Bare metal: the paths that differ in code (static and dynamic online, fused, mini-batch,
    // master, stochastic rounding), each once.
    static constexpr int runs() { return narrow ? 7 : 4; }
    long go() {
        one<round_nearest, path::separate, false>("sgd/static");
        one<round_nearest, path::fused, false>("fused/static");
        one<round_nearest, path::separate, true>("sgd/dyn");
        one<round_nearest, path::gd_mini, false>("gd_mini");
        if constexpr (narrow) {
            one<round_nearest, path::master, false>("master/static");
            one<round_nearest, path::gd_mini_master, false>("gd_mini/master");
            one<stochastic_rounding, path::separate, true>("sgd/dyn/sr");
        }
        return violations;
    }
#else
    static constexpr int runs() { return narrow ? 12 : 6; }
    long go() {
        one<round_nearest, path::separate, false>("sgd/static");
        one<round_nearest, path::fused, false>("fused/static");
        one<round_nearest, path::separate, true>("sgd/dyn");
        one<round_nearest, path::fused, true>("fused/dyn");
        one<round_nearest, path::gd_full, false>("gd_full");
        one<round_nearest, path::gd_mini, false>("gd_mini");
        if constexpr (narrow) {
            one<round_nearest, path::master, false>("master/static");
            one<round_nearest, path::master, true>("master/dyn");
            one<round_nearest, path::gd_full_master, false>("gd_full/master");
            one<round_nearest, path::gd_mini_master, false>("gd_mini/master");
            // Stochastic rounding changes only how a narrow value is stored (not with a master):
            // one online and one batch path.
            one<stochastic_rounding, path::separate, true>("sgd/dyn/sr");
            one<stochastic_rounding, path::gd_mini, false>("gd_mini/sr");
        }
        return violations;
    }
#endif
};

template <class F>
long run_format(const char* name, int index, const options& opt) {
    format_runs<F> fr{name, index, opt, opt.steps / format_runs<F>::runs()};
    if (fr.per_run < 1) fr.per_run = 1;
    return fr.go();
}

// Calls f(format_tag<F>{}, name, index) for every format the test covers.
template <class Fn>
void for_each_format(Fn&& f) {
    f(format_tag<double>{}, "double", 0);
    f(format_tag<float>{}, "float", 1);
    f(format_tag<f16>{}, "f16", 2);
    f(format_tag<bf16>{}, "bf16", 3);
    f(format_tag<q3_12>{}, "q3_12", 4);
    f(format_tag<q4_27>{}, "q4_27", 5);
    f(format_tag<mixed<q4_27, double>>{}, "mixed<q4_27,double>", 6);
    f(format_tag<mixed<bf16, double>>{}, "mixed<bf16,double>", 7);
    f(format_tag<mixed<q3_12, double>>{}, "mixed<q3_12,double>", 8);
    f(format_tag<mixed<f16, double>>{}, "mixed<f16,double>", 9);
    f(format_tag<mixed<q4_27, float>>{}, "mixed<q4_27,float>", 10);
}

}  // namespace guard_property
