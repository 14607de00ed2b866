#include "ram.hpp"

#include <map>
#include <stdexcept>

#include "twolayer/model/network.hpp"
#include "twolayer/train/online_sgd.hpp"
#include "twolayer/train/rounding.hpp"

namespace twolayer::tool::sweep {

namespace {

template <class F>
type_sizes sizes_for(const grid_format& f) {
    type_sizes t;
    t.storage = sizeof(storage_t<F>);
    t.compute = sizeof(compute_t<F>);
    t.head = sizeof(network_head<F>);
    t.trainer = f.rounding == rounding_mode::stochastic ? sizeof(online_sgd<F, squared_loss, stochastic_rounding>)
                                                        : sizeof(online_sgd<F, squared_loss, round_nearest>);
    t.native = is_native_v<F>;
    return t;
}

// One 64-byte-aligned array of `bytes` (vec, mat).
std::uint64_t block(std::uint64_t bytes) {
    const std::uint64_t a = storage_alignment;
    return (bytes + a - 1) / a * a;
}

}  // namespace

type_sizes sizes_of(const grid_format& f) {
    using maker = type_sizes (*)(const grid_format&);
    static const std::map<std::string, maker> makers = {
        {"double", sizes_for<double>},
        {"float", sizes_for<float>},
        {"f16", sizes_for<f16>},
        {"bf16", sizes_for<bf16>},
        {"q3_12", sizes_for<q3_12>},
        {"q4_27", sizes_for<q4_27>},
        {"f16/double", sizes_for<mixed<f16, double>>},
        {"bf16/double", sizes_for<mixed<bf16, double>>},
        {"q3_12/double", sizes_for<mixed<q3_12, double>>},
        {"q4_27/double", sizes_for<mixed<q4_27, double>>}};
    const auto it = makers.find(f.format);
    if (it == makers.end()) throw std::logic_error("sizes_of: no sizes for format " + f.format);
    return it->second(f);
}

std::uint64_t network_bytes(const type_sizes& t, std::uint64_t N, std::uint64_t P) {
    // W; v and b; lambda, g, delta; the head in a block of its own (the class is 64-aligned, so
    // its size is rounded up to a whole block); the copy of the next sample (float, double).
    const std::uint64_t net = block(P * N * t.storage) + 2 * block(P * t.storage) + 3 * block(P * t.compute) + block(t.head);
    return net + (t.native ? block(N * t.storage) : 0);
}

std::uint64_t master_bytes(const type_sizes& t, std::uint64_t N, std::uint64_t P) {
    return block(P * N * t.compute) + 2 * block(P * t.compute) + block(2 * t.compute);  // W, v, b; c and the bound
}

std::uint64_t ram_bytes(const grid_format& f, std::uint64_t N, std::uint64_t P) {
    const type_sizes t = sizes_of(f);
    const std::uint64_t samples = (t.native ? 2 : 1) * N * t.storage;
    const std::uint64_t stack = t.native ? 2 * P * t.compute : 0;
    return network_bytes(t, N, P) + t.trainer + (f.master ? master_bytes(t, N, P) : 0) + samples + stack;
}

}  // namespace twolayer::tool::sweep
