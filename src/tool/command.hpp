// The subcommands of the `twolayer` research tool. Each lives in one file under
// src/tool/commands/ and registers itself with TWOLAYER_TOOL_COMMAND; main.cpp builds the
// command line from the registry, so adding a subcommand is adding one file.
#pragma once
#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace twolayer::tool {

/// What a subcommand's setup returns: the function run after a successful parse. It returns the
/// process's exit code (0 done, 1 the run failed, e.g. diverged; 2 is for bad input, thrown as
/// usage_error instead).
using command_main = std::function<int()>;

/// A subcommand: its name, one line for `twolayer --help`, and its setup, which declares the
/// options on the CLI11 subcommand (binding them to state it owns) and returns its main.
struct command {
    const char* name;
    const char* summary;
    command_main (*setup)(CLI::App& sub);
};

/// Every registered subcommand, in registration order (main.cpp sorts them by name).
std::vector<command>& command_registry();

/// Registers a command during static initialization (the command files are compiled into the
/// executable itself, never into an archive, so the registration cannot be dropped by the linker).
struct command_registration {
    explicit command_registration(const command& c) { command_registry().push_back(c); }
};

}  // namespace twolayer::tool

#define TWOLAYER_TOOL_CONCAT2(a, b) a##b
#define TWOLAYER_TOOL_CONCAT(a, b) TWOLAYER_TOOL_CONCAT2(a, b)
/// TWOLAYER_TOOL_COMMAND("name", "one-line summary", setup_function) at namespace scope.
#define TWOLAYER_TOOL_COMMAND(name, summary, setup)                                                        \
    static const ::twolayer::tool::command_registration TWOLAYER_TOOL_CONCAT(tl_tool_command_, __LINE__)( \
        ::twolayer::tool::command{name, summary, setup})
