// The library's lanczos_ref (analysis/lanczos.hpp) with its buffers on the heap, sized at run
// time for one dimension and step count.
#pragma once
#include <vector>

#include "twolayer/analysis/lanczos.hpp"

namespace twolayer::tool::hessian {

/// A Lanczos run of dimension up to n and up to steps steps; the storage, steps (n + steps + 4) + n
/// doubles, lives here. Not copyable (the lanczos_ref points into it).
class heap_lanczos {
public:
    heap_lanczos(index_t n, index_t steps)
        : doubles_(std::size_t(lanczos_ref::doubles_needed(n, steps))), indices_(std::size_t(steps)),
          lz_(vec_view<double>(doubles_.data(), index_t(doubles_.size())), vec_view<index_t>(indices_.data(), steps), n,
              steps) {}
    heap_lanczos(const heap_lanczos&) = delete;
    heap_lanczos& operator=(const heap_lanczos&) = delete;

    /// The run over this storage.
    lanczos_ref& get() { return lz_; }

private:
    std::vector<double> doubles_;
    std::vector<index_t> indices_;
    lanczos_ref lz_;
};

}  // namespace twolayer::tool::hessian
