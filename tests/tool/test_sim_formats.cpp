// Every format of format_names() and every activation, student and teacher, runs a few hundred
// steps on small sizes without a refused step, online and (mini-)batch, with the rounding and
// master variants of the narrow formats; and the rows say what the CSV header promises.
#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "tool/sim/train_run.hpp"

namespace {

using namespace tl_sim_test;

const activation_id all_acts[] = {activation_id::erf,     activation_id::relu,   activation_id::quadratic,
                                  activation_id::tanh,    activation_id::sigmoid, activation_id::linear,
                                  activation_id::abs};

// Splits the CSV rows and checks each: 7 fields, chain index, step/N = t, finite eps_g >= 0.
std::vector<std::vector<std::string>> parse_rows(const std::string& rows) {
    std::vector<std::vector<std::string>> out;
    std::istringstream in(rows);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream l(line);
        std::string cell;
        while (std::getline(l, cell, ',')) f.push_back(cell);
        out.push_back(f);
    }
    return out;
}

void expect_runs(const train_settings& s, const std::string& what) {
    SCOPED_TRACE(what);
    job_progress p;
    const job_result r = run_train_chain(s, 1, p);
    ASSERT_FALSE(r.failed) << r.message;
    const auto rows = parse_rows(r.rows);
    ASSERT_EQ(rows.size(), report_steps(total_steps(s), s.reports).size());
    for (const auto& f : rows) {
        ASSERT_EQ(f.size(), 7u);
        EXPECT_EQ(f[0], "1");
        const double t = std::stod(f[1]), eps = std::stod(f[2]);
        EXPECT_NEAR(t * double(s.model.N), std::stod(f[5]), 1e-6);
        EXPECT_TRUE(std::isfinite(eps) && eps >= 0) << f[2];
        EXPECT_EQ(f[6], "0");
    }
    EXPECT_EQ(std::stoul(rows.back()[5]), total_steps(s));
    EXPECT_DOUBLE_EQ(p.get(), 1.0);
}

train_settings tiny(const std::string& format, activation_id act) {
    train_settings s = small_settings(20, 3, 2, format);
    s.model.act = s.model.teacher_act = act;
    s.training.lr = 0.02;  // x^2 units diverge at N = 20 with 0.1
    s.training.t_max = 15;  // 300 steps
    s.reports = 5;
    s.test_samples = 200;
    return s;
}

TEST(Formats, EveryFormatAndActivationOnline) {
    for (const std::string& format : format_names())
        for (activation_id act : all_acts) expect_runs(tiny(format, act), format + " " + activation_name(act));
}

TEST(Formats, EveryFormatAndActivationMinibatch) {
    for (const std::string& format : format_names())
        for (activation_id act : all_acts) {
            train_settings s = tiny(format, act);
            s.samples = 40;
            s.batch = 9;
            s.training.t_max = 5;  // 100 steps
            expect_runs(s, format + " " + activation_name(act) + " mini-batch");
        }
}

TEST(Formats, EveryTeacherActivation) {
    for (activation_id act : all_acts) {
        train_settings s = tiny("float", activation_id::erf);
        s.model.teacher_act = act;
        s.training.noise = 0.1;
        expect_runs(s, std::string("teacher ") + activation_name(act));
    }
}

TEST(Formats, NarrowFormatsWithStochasticRoundingOrMaster) {
    for (const std::string& format : format_names()) {
        if (format_is_native(format)) continue;
        for (int variant = 0; variant < 2; ++variant)
            for (long samples : {0L, 25L}) {
                train_settings s = tiny(format, activation_id::erf);
                s.model.train_v = true;
                s.samples = samples;
                if (samples > 0) s.training.t_max = 2;
                if (variant == 0) s.rounding = rounding_mode::stochastic;
                else s.master = true;
                check_settings(s);
                expect_runs(s, format + (variant == 0 ? " stochastic" : " master") + (samples ? " full batch" : " online"));
            }
    }
}

}  // namespace
