// `twolayer recommend`: which number format and student width a device can afford, from a sweep
// CSV and the device's budgets. The work is in src/tool/sweep/recommend.cpp.
// Exit codes: 0 some configuration meets the budgets; 1 none does (each budget's nearest miss is
// printed); 2 bad input.
#include <memory>

#include <CLI/CLI.hpp>

#include "../command.hpp"
#include "../common_options.hpp"
#include "../sweep/budget.hpp"
#include "../sweep/recommend.hpp"

namespace twolayer::tool {
namespace {

struct recommend_options {
    sweep::budgets b;
    std::string flash, ram, insns;
};

command_main setup_recommend(CLI::App& sub) {
    auto o = std::make_shared<recommend_options>();
    sweep::budgets& b = o->b;
    sub.add_option("--csv", b.csv, "the sweep's CSV (twolayer sweep --out), device figures joined or not")->required();
    sub.add_option("--device", b.device, "the device whose figures the flash and instruction budgets read")
        ->required()
        ->transform(one_of(sweep::device_names()));
    sub.add_option("--ram", o->ram, "RAM budget in bytes (K = 1024, M = 1024^2: 8K)")->required();
    sub.add_option("--error", b.error, "the generalization error eps_g to reach (the configurations' median)")
        ->required()
        ->check(CLI::PositiveNumber);
    sub.add_option("--flash", o->flash, "flash budget in bytes (K = 1024, M = 1024^2: 16K)");
    sub.add_option("--insns-per-step", o->insns, "instructions per SGD step (K = 1000, M = 10^6)");
    sub.add_option("--teacher", b.teacher, "only this teacher's rows (default: every teacher)");
    sub.add_option("--N", b.N, "only rows of this input dimension (default: every N)")->check(CLI::Range(1L, 10000L));
    sub.add_option("--top", b.top, "print at most this many configurations")->check(CLI::Range(1L, 1000000L))->capture_default_str();
    return [o] {
        sweep::budgets& b = o->b;
        b.ram = sweep::parse_amount(o->ram, "--ram", 1024);
        if (!o->flash.empty()) b.flash = sweep::parse_amount(o->flash, "--flash", 1024);
        if (!o->insns.empty()) b.insns_per_step = sweep::parse_amount(o->insns, "--insns-per-step", 1000);
        return sweep::recommend(b, stdout);
    };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("recommend",
                      "the cheapest format and width meeting a device's flash, RAM, error and instruction budgets, "
                      "from a sweep CSV, or the budget that cannot be met and by how much",
                      setup_recommend);

}  // namespace twolayer::tool
