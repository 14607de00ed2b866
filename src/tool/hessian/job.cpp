#include "job.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "heap_lanczos.hpp"
#include "instance.hpp"
#include "operator.hpp"
#include "overlap.hpp"

namespace twolayer::tool::hessian {

namespace {
// The seed streams of a job are stream_of(s, job_stream::...) (sim/initial_weights.hpp); the
// start vector and the probes take the one that enum leaves free.
constexpr job_stream probe_stream = job_stream(7);
static_assert(std::uint64_t(probe_stream) < streams_per_job, "the probe stream is one of the job's streams");

std::string failure(double alpha, long s, const char* what) {
    char line[200];
    std::snprintf(line, sizeof line, "alpha %g seed %ld: %s", alpha, s, what);
    return line;
}
}  // namespace

job_outcome run_job(const settings& st, double alpha, long s, job_progress& progress) {
    const instance in = make_instance(st, alpha, s);
    empirical_hessian H(in, st.model.act, st.blocks);
    const index_t n = H.dimension();
    const index_t steps = std::min<index_t>(index_t(st.lanczos_steps), n);
    const index_t slq_steps = std::min<index_t>(index_t(st.slq_steps), n);
    const double total = double(steps) + (st.density ? double(st.slq_vectors) * double(slq_steps) : 0.0);
    long done = 0;
    const product_function op = [&](vec_view<const double> x, vec_view<double> y) {
        H(x, y);
        progress.set(double(++done) / total);
    };
    job_outcome out;
    out.M = in.M;
    gaussian_rng rng(st.model.seed, stream_of(s, probe_stream));
    std::vector<double> start(n), y(n), U(std::size_t(in.w.P) * std::size_t(in.w.N));
    for (double& x : start) x = rng.next();
    heap_lanczos storage(n, std::max(steps, slq_steps));
    lanczos_ref& lz = storage.get();
    const lanczos_status status = lz.run_from(op, vec_view<const double>(start.data(), n), steps);
    if (status == lanczos_status::nonfinite) {
        out.ok = false;
        out.message = failure(alpha, s, "a Hessian-vector product is not finite (diverged or huge weights?)");
        return out;
    }
    if (status != lanczos_status::ok) {
        out.ok = false;
        out.message = failure(alpha, s, "the Lanczos tridiagonal eigenproblem did not converge");
        return out;
    }
    const teacher_subspace teacher(in.w);
    const long k = std::min<long>(st.k, long(lz.steps()));
    for (int end = 0; end < 2; ++end)
        for (long r = 0; r < k; ++r) {
            const ritz_pair p = end == 0 ? lz.smallest(index_t(r)) : lz.largest(index_t(r));
            eigen_row row{end == 1, r, p.value, p.residual_bound, 0.0, 0.0};
            lz.ritz_vector(p, vec_view<double>(y.data(), n));
            if (st.blocks.first_layer) {  // the first layer's coordinates come first
                std::copy(y.begin(), y.begin() + std::ptrdiff_t(U.size()), U.begin());
                const block_overlap o = teacher.measure(U.data(), in.w.P);
                row.overlap = o.overlap;
                row.first_layer_weight = o.weight;
            } else {
                row.overlap = std::numeric_limits<double>::quiet_NaN();
            }
            out.rows.push_back(row);
        }
    if (st.ritz_values)
        for (index_t i = 0; i < lz.steps(); ++i) out.ritz_values.push_back(lz.pair(i).value);
    if (st.density && !slq_nodes(op, n, st.slq_vectors, slq_steps, rng, lz, out.nodes)) {
        out.ok = false;
        out.message = failure(alpha, s, "a Hessian-vector product of SLQ is not finite");
    }
    return out;
}

}  // namespace twolayer::tool::hessian
