// The build without MPI: one process, rank 0 of 1.
#include "mpi_world.hpp"

namespace twolayer::tool {

mpi_session::mpi_session(int&, char**&) {}
mpi_session::~mpi_session() = default;

int world_rank() { return 0; }
int world_size() { return 1; }
int ranks_on_this_node() { return 1; }

std::vector<std::string> gather_to_root(const std::string& mine) { return {mine}; }

std::string mpi_description() { return "none (built without MPI: threads only)"; }

}  // namespace twolayer::tool
