#include "slq.hpp"

#include <algorithm>
#include <cmath>

namespace twolayer::tool::hessian {

bool slq_nodes(const product_function& op, index_t n, long probes, index_t steps, gaussian_rng& rng, lanczos_ref& lz,
               spectral_nodes& out) {
    std::vector<double> z(static_cast<std::size_t>(n));
    for (long p = 0; p < probes; ++p) {
        for (double& x : z) x = rng.next() < 0.0 ? -1.0 : 1.0;
        const lanczos_status st = lz.run_from(op, vec_view<const double>(z.data(), n), steps);
        if (st == lanczos_status::nonfinite) return false;
        for (index_t i = 0; i < lz.steps(); ++i) {
            const ritz_pair r = lz.pair(i);
            out.value.push_back(r.value);
            out.weight.push_back(lz.ritz_weight(r) / double(probes));
        }
    }
    return true;
}

std::vector<density_bin> histogram(const spectral_nodes& nodes, long bins) {
    std::vector<density_bin> h(static_cast<std::size_t>(bins));
    if (nodes.value.empty()) return h;
    double lo = *std::min_element(nodes.value.begin(), nodes.value.end());
    double hi = *std::max_element(nodes.value.begin(), nodes.value.end());
    if (!(hi > lo)) {
        const double half = 0.5 * std::max(1.0, std::fabs(lo));
        lo -= half;
        hi += half;
    }
    const double width = (hi - lo) / double(bins);
    for (long b = 0; b < bins; ++b) {
        h[std::size_t(b)].lo = lo + double(b) * width;
        h[std::size_t(b)].hi = b + 1 == bins ? hi : lo + double(b + 1) * width;
    }
    for (std::size_t i = 0; i < nodes.value.size(); ++i) {
        long b = long((nodes.value[i] - lo) / width);
        b = std::clamp(b, 0L, bins - 1);
        h[std::size_t(b)].density += nodes.weight[i];
    }
    for (density_bin& d : h) d.density /= d.hi - d.lo;
    return h;
}

}  // namespace twolayer::tool::hessian
