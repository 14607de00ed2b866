#include "common_options.hpp"

#include <map>

#include <CLI/CLI.hpp>

namespace twolayer::tool {

namespace {

std::map<std::string, activation_id> activation_map() {
    std::map<std::string, activation_id> m;
    for (activation_id id : {activation_id::erf, activation_id::relu, activation_id::quadratic, activation_id::tanh,
                             activation_id::sigmoid, activation_id::linear, activation_id::abs})
        m[activation_name(id)] = id;
    return m;
}

}  // namespace

CLI::Validator one_of(const std::vector<std::string>& names) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : "|") + n;
    return CLI::Validator(
        [names, list](std::string& value) -> std::string {
            for (const std::string& n : names)
                if (CLI::detail::to_lower(value) == CLI::detail::to_lower(n)) return "";
            return value + " is not one of " + list;
        },
        list);
}

const std::vector<std::string>& format_names() {
    static const std::vector<std::string> names = {"double",       "float",       "f16",          "bf16",
                                                   "q3_12",        "q4_27",       "f16/double",   "bf16/double",
                                                   "q3_12/double", "q4_27/double"};
    return names;
}

void add_model_options(CLI::App& app, model_options& m) {
    app.add_option("--N", m.N, "input dimension")->check(CLI::Range(1L, 10000L))->capture_default_str();
    app.add_option("--P", m.P, "student hidden units")->check(CLI::Range(1L, 10000L))->capture_default_str();
    app.add_option("--P-star", m.P_star, "teacher hidden units")->check(CLI::Range(1L, 10000L))->capture_default_str();
    const auto acts = activation_map();
    // The names are checked first (a transform added later runs earlier), so a bad one gets
    // one_of's message; CheckedTransformer's own, and its help text, print the enums' values
    // ("abs->6"; uint8_t ones as raw characters, a NUL among them).
    std::vector<std::string> act_list;
    for (const auto& [name, id] : acts) act_list.push_back(name);
    const char* act_names = "erf|relu|quadratic|tanh|sigmoid|linear|abs";
    app.add_option("--act", m.act, "student activation")
        ->transform(CLI::CheckedTransformer(acts, CLI::ignore_case))
        ->transform(one_of(act_list))
        ->option_text(std::string(act_names) + "=" + activation_name(m.act));
    app.add_option("--teacher-act", m.teacher_act, "teacher activation (default: as --act)")
        ->transform(CLI::CheckedTransformer(acts, CLI::ignore_case))
        ->transform(one_of(act_list))
        ->option_text(act_names);
    const std::map<std::string, second_layer_init> second = {
        {"one", second_layer_init::one}, {"inv_p", second_layer_init::inv_p}, {"inv_sqrt_p", second_layer_init::inv_sqrt_p}};
    app.add_option("--second-layer", m.second_layer, "initial student second layer: 1, 1/P or 1/sqrt(P)")
        ->transform(CLI::CheckedTransformer(second, CLI::ignore_case))
        ->transform(one_of({"one", "inv_p", "inv_sqrt_p"}))
        ->option_text("one|inv_p|inv_sqrt_p=one");
    app.add_option("--init-scale", m.init_scale, "standard deviation of the student's first-layer weights")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    app.add_option("--train-v", m.train_v, "train the second layer too (true|false)")->default_str("false");
    app.add_option("--seed", m.seed, "base seed; job j draws from streams of (seed, j) only")->capture_default_str();
}

void add_training_options(CLI::App& app, training_options& t) {
    app.add_option("--lr", t.lr, "first-layer learning rate eta")->check(CLI::Range(0.0, 1e6))->capture_default_str();
    app.add_option("--lr-v", t.lr_v, "second-layer learning rate (default: as --lr)")->check(CLI::Range(0.0, 1e6));
    app.add_option("--noise", t.noise, "standard deviation of the teacher's label noise")
        ->check(CLI::Range(0.0, 1e6))
        ->capture_default_str();
    app.add_option("--weight-decay", t.weight_decay, "l2 penalty coefficient")
        ->check(CLI::Range(0.0, 1e6))
        ->capture_default_str();
    app.add_option("--t-max", t.t_max, "duration in units of N steps")->check(CLI::Range(1e-6, 1e9))->capture_default_str();
}

void add_run_options(CLI::App& app, run_options& r) {
    app.add_option("--format", r.format, "number format: storage, or storage/compute")
        ->check(CLI::IsMember(format_names()))
        ->capture_default_str();
    app.add_option("--chains", r.chains, "independent runs")->check(CLI::Range(1L, 1000000L))->capture_default_str();
    add_job_output_options(app, r.threads, r.out, r.quiet);
}

void add_job_output_options(CLI::App& app, long& threads, std::string& out, bool& quiet) {
    app.add_option("--threads", threads, "worker threads (0: every core)")->check(CLI::Range(0L, 4096L))->capture_default_str();
    app.add_option("--out", out, "CSV file to write (default: standard output)");
    app.add_flag("--quiet", quiet, "no progress bar");
}

void resolve(CLI::App& app, model_options& m, training_options& t) {
    m.teacher_act_given = app.count("--teacher-act") > 0;
    if (!m.teacher_act_given) m.teacher_act = m.act;
    if (t.lr_v < 0) t.lr_v = t.lr;
}

}  // namespace twolayer::tool
