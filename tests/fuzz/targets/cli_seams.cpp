// What fuzz_cli_numbers links in place of the tool's main.cpp and simulation core: the command
// registry (main.cpp defines it beside main()) and run_train, the one function train's main calls.
// The fuzzer parses only; a run_train that ran would be a fuzzer bug, so it aborts.
#include <cstdio>
#include <cstdlib>

#include "tool/command.hpp"
#include "tool/sim/train_run.hpp"

namespace twolayer::tool {

std::vector<command>& command_registry() {
    static std::vector<command> all;
    return all;
}

int run_train(train_settings, const run_options&) {
    std::fprintf(stderr, "fuzz_cli_numbers: train's main ran (the fuzzer must only parse)\n");
    std::abort();
}

}  // namespace twolayer::tool
