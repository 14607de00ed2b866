// The RAM a device needs to train one configuration of the sweep: the network, its trainer, the
// master copy (if any) and the samples, in bytes, from the library's own types. The network and
// the master are templates on (N, P), which the sweep takes at run time, so their bytes come from
// their layout (every array a 64-byte-aligned block, core/storage.hpp); the test holds that to
// sizeof of the real static types. The trainer's bytes are sizeof of the real online_sgd.
#pragma once
#include <cstdint>

#include "grid.hpp"

namespace twolayer::tool::sweep {

/// The sizes of one format's types, from sizeof.
struct type_sizes {
    std::uint64_t storage = 0;  ///< sizeof(storage_t<F>)
    std::uint64_t compute = 0;  ///< sizeof(compute_t<F>)
    std::uint64_t head = 0;     ///< sizeof(network_head<F>)
    std::uint64_t trainer = 0;  ///< sizeof(online_sgd<F, squared_loss, the grid format's rounding>)
    bool native = false;        ///< float or double: the fused step (a kept copy of the next sample)
};

/// The sizes of format f's types.
type_sizes sizes_of(const grid_format& f);

/// sizeof(lookahead_network<F, N, P, Act>) for float and double (the fused step needs its copy of
/// the next sample), sizeof(network<F, N, P, Act>) for the other formats.
std::uint64_t network_bytes(const type_sizes& t, std::uint64_t N, std::uint64_t P);
/// sizeof(master_weights<F, N, P>).
std::uint64_t master_bytes(const type_sizes& t, std::uint64_t N, std::uint64_t P);

/// The RAM of training format f at N inputs and P hidden units: the network, the trainer, the
/// master copy with +master, the sample x (and the next one x_next for the fused step of float
/// and double), N values of the storage type each, and the step's stack buffer of the new v and b
/// (2 P values of C, float and double). Not counted: the rest of the call stack, the label, the
/// sample generator (a device gets its samples from its sensors).
std::uint64_t ram_bytes(const grid_format& f, std::uint64_t N, std::uint64_t P);

}  // namespace twolayer::tool::sweep
