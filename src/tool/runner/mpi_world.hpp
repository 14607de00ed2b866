// The MPI ranks of this process's run, behind an interface that also exists in a build without
// MPI (mpi_world_single.cpp: one rank) — the runner itself has no #ifdef. The build with MPI
// (mpi_world_mpi.cpp) initializes MPI only when a launcher started the process (mpirun, srun,
// mpiexec): a plain `twolayer ...` pays nothing for it (a singleton MPI_Init costs ~0.4 s here).
#pragma once
#include <string>
#include <vector>

namespace twolayer::tool {

/// MPI for the lifetime of the process: main() constructs one first thing. It calls
/// MPI_Init_thread (MPI_THREAD_FUNNELED: only the main thread calls MPI) when a launcher's
/// variables are set (OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_RANK, PMI_SIZE, SLURM_PROCID), or
/// always with TWOLAYER_MPI=1, never with TWOLAYER_MPI=0; MPI_Finalize when destroyed. Without
/// one (unit tests), or in a build without MPI, the process is rank 0 of 1.
class mpi_session {
public:
    mpi_session(int& argc, char**& argv);
    mpi_session(const mpi_session&) = delete;
    mpi_session& operator=(const mpi_session&) = delete;
    ~mpi_session();

private:
    bool owner_ = false;  // this object initialized MPI (a second session is a no-op)
};

/// This process's rank, 0 .. world_size() - 1.
int world_rank();
/// The number of ranks of the run (1 without MPI).
int world_size();
/// The ranks of the run on this machine, this one included (MPI_COMM_TYPE_SHARED).
int ranks_on_this_node();

/// Every rank's bytes on rank 0, in rank order (its own first); other ranks get an empty vector.
/// Collective: every rank calls it once per run_jobs. A rank waits for its turn by polling with
/// short sleeps, so a rank that finished early does not spin on a core another rank's threads use.
std::vector<std::string> gather_to_root(const std::string& mine);

/// For `twolayer info`: the MPI library and this run's ranks, or that the build has no MPI.
std::string mpi_description();

}  // namespace twolayer::tool
