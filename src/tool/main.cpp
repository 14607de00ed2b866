// The `twolayer` research tool: one executable, one subcommand per file in src/tool/commands/.
// Exit codes: 0 done, 1 the run failed (diverged, a write failed), 2 bad input (one line on
// stderr naming the option and the value).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "runner/mpi_world.hpp"
#include "usage_error.hpp"

namespace twolayer::tool {

std::vector<command>& command_registry() {
    static std::vector<command> all;
    return all;
}

namespace {

// The one line for bad input: "twolayer CMD: message" (CLI11's messages already name the option).
int bad_input(const std::string& where, const std::string& message) {
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::fprintf(stderr, "%s: %s\n", where.c_str(), line.c_str());
    return 2;
}

}  // namespace

int run_tool(int argc, char** argv) {
    CLI::App app{"twolayer: two-layer networks on the library's trainers, for research and for choosing a "
                 "number format (run 'twolayer CMD --help' for a command's options and defaults)",
                 "twolayer"};
    app.require_subcommand(1);
    app.fallthrough(false);
    auto& reg = command_registry();
    std::sort(reg.begin(), reg.end(), [](const command& a, const command& b) { return std::strcmp(a.name, b.name) < 0; });
    std::vector<std::pair<CLI::App*, command_main>> mains;
    for (const command& c : reg) {
        CLI::App* sub = app.add_subcommand(c.name, c.summary);
        mains.emplace_back(sub, c.setup(*sub));
    }
    std::string where = "twolayer";
    try {
        app.parse(argc, argv);
        for (auto& [sub, main] : mains) {
            if (!sub->parsed()) continue;
            where = "twolayer " + sub->get_name();
            return main();
        }
        return bad_input(where, "no command given (run 'twolayer --help')");
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        for (auto* sub : app.get_subcommands()) where = "twolayer " + sub->get_name();
        return bad_input(where, e.what());
    } catch (const usage_error& e) {
        return bad_input(where, e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", where.c_str(), e.what());
        return 1;
    }
}

}  // namespace twolayer::tool

int main(int argc, char** argv) {
    twolayer::tool::mpi_session mpi(argc, argv);  // MPI_Init/Finalize when under mpirun or srun
    return twolayer::tool::run_tool(argc, argv);
}
