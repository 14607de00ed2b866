// `twolayer info`: what this build of the tool can run (formats, activations, the kernel arch,
// threads, MPI), for a user checking an installation and for scripts.
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>

#include "../command.hpp"
#include "../common_options.hpp"
#include "../job_runner.hpp"
#include "../runner/mpi_world.hpp"

namespace twolayer::tool {
namespace {

command_main setup_info(CLI::App&) {
    return [] {
        std::printf("formats:");
        for (const auto& f : format_names()) std::printf(" %s", f.c_str());
        std::printf("\nactivations:");
        for (activation_id id : {activation_id::erf, activation_id::relu, activation_id::quadratic, activation_id::tanh,
                                 activation_id::sigmoid, activation_id::linear, activation_id::abs})
            std::printf(" %s", activation_name(id));
        std::printf("\ncores: %u\n", std::thread::hardware_concurrency());
        std::printf("threads: %ld (--threads 0)\nmpi: %s\n", worker_threads(0), mpi_description().c_str());
        return 0;
    };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("info", "what this build runs: formats, activations, cores", setup_info);

}  // namespace twolayer::tool
