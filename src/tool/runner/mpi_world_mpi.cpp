// The build with MPI. Rank 0 gathers the shares by point-to-point messages, one rank after the
// other: it sends rank r a "your turn" token, r answers with its length and then its bytes (in
// chunks below INT_MAX). Both waits are polled with sleeps; the bytes then move at full speed.
#define OMPI_SKIP_MPICXX 1  // the C interface only (no deprecated C++ bindings)
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "mpi_world.hpp"

namespace twolayer::tool {

namespace {

// The run as this process sees it; set once by the mpi_session, read-only afterwards.
struct world {
    bool active = false;
    MPI_Comm comm = MPI_COMM_NULL;  // a duplicate of MPI_COMM_WORLD: the runner's messages only
    int rank = 0, size = 1, on_node = 1;
};
world the_world;

constexpr int tag_turn = 1401, tag_length = 1402, tag_bytes = 1403;
constexpr std::size_t chunk = std::size_t(1) << 30;

bool env_set(const char* name) { return std::getenv(name) != nullptr; }

// Whether a launcher started this process (or TWOLAYER_MPI says what to do).
bool wants_mpi() {
    if (const char* force = std::getenv("TWOLAYER_MPI")) return std::strcmp(force, "0") != 0;
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "SLURM_PROCID"})
        if (env_set(v)) return true;
    return false;
}

void check(int code, const char* what) {
    if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

// Waits for a request without spinning: this rank's core may be another rank's worker's.
void wait_politely(MPI_Request& request) {
    for (int done = 0;;) {
        check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
        if (done) return;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
}

template <class T>
void receive_politely(T* data, int count, MPI_Datatype type, int from, int tag) {
    MPI_Request r;
    check(MPI_Irecv(data, count, type, from, tag, the_world.comm, &r), "MPI_Irecv");
    wait_politely(r);
}

void send_bytes(const std::string& bytes, int to) {
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const int n = int(std::min(chunk, bytes.size() - at));
        check(MPI_Send(bytes.data() + at, n, MPI_BYTE, to, tag_bytes, the_world.comm), "MPI_Send");
    }
}

std::string receive_from(int r) {
    int turn = 1;
    check(MPI_Send(&turn, 1, MPI_INT, r, tag_turn, the_world.comm), "MPI_Send");
    std::uint64_t length = 0;
    receive_politely(&length, 1, MPI_UINT64_T, r, tag_length);
    std::string bytes(std::size_t(length), '\0');
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const int n = int(std::min(chunk, bytes.size() - at));
        check(MPI_Recv(&bytes[at], n, MPI_BYTE, r, tag_bytes, the_world.comm, MPI_STATUS_IGNORE), "MPI_Recv");
    }
    return bytes;
}

// srun without an MPI plugin starts tasks that each see a world of one: each would run every job.
void warn_if_alone_under_srun() {
    const char* tasks = std::getenv("SLURM_STEP_NUM_TASKS");
    if (the_world.size == 1 && tasks && std::atoi(tasks) > 1)
        std::fprintf(stderr,
                     "twolayer: srun started %s tasks but MPI sees one rank per task (each runs every job): "
                     "use srun --mpi=pmix (or pmi2)\n",
                     tasks);
}

}  // namespace

mpi_session::mpi_session(int& argc, char**& argv) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized || !wants_mpi()) return;
    int provided = 0;
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    owner_ = true;
    check(MPI_Comm_dup(MPI_COMM_WORLD, &the_world.comm), "MPI_Comm_dup");
    MPI_Comm_rank(the_world.comm, &the_world.rank);
    MPI_Comm_size(the_world.comm, &the_world.size);
    MPI_Comm node;
    check(MPI_Comm_split_type(the_world.comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node), "MPI_Comm_split_type");
    MPI_Comm_size(node, &the_world.on_node);
    MPI_Comm_free(&node);
    the_world.active = true;
    warn_if_alone_under_srun();
}

mpi_session::~mpi_session() {
    if (!owner_) return;
    MPI_Comm_free(&the_world.comm);
    the_world = world{};
    MPI_Finalize();
}

int world_rank() { return the_world.rank; }
int world_size() { return the_world.size; }
int ranks_on_this_node() { return the_world.on_node; }

std::vector<std::string> gather_to_root(const std::string& mine) {
    if (!the_world.active || the_world.size == 1) return {mine};
    if (the_world.rank != 0) {
        int turn = 0;
        receive_politely(&turn, 1, MPI_INT, 0, tag_turn);
        const std::uint64_t length = mine.size();
        check(MPI_Send(&length, 1, MPI_UINT64_T, 0, tag_length, the_world.comm), "MPI_Send");
        send_bytes(mine, 0);
        return {};
    }
    std::vector<std::string> all{mine};
    for (int r = 1; r < the_world.size; ++r) all.push_back(receive_from(r));
    return all;
}

std::string mpi_description() {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string name(version, std::size_t(length));
    name = name.substr(0, name.find_first_of(",\n"));
    if (!the_world.active) return name + " (not started by mpirun/srun: one process)";
    return name + ", rank " + std::to_string(the_world.rank) + " of " + std::to_string(the_world.size) + " (" +
           std::to_string(the_world.on_node) + " on this machine)";
}

}  // namespace twolayer::tool
