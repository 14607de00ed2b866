// Full-batch GD of a double network of run-time size (host_network) on a dataset of run-time
// size, for `twolayer retrain` and `twolayer width`. gd_trainer and readout_gd keep their gradient
// sums inside the object, which a run-time size cannot have, so this runs their pieces
// (batch_step: accumulate, plan, check, write; batch_gd.hpp's "usable with any storage" path) in
// gd_trainer::run's order on vector-backed views, as `twolayer train`'s batch chain does. With
// readout_only the plan's first-layer groups are switched off as readout_gd switches them off.
#pragma once
#include <vector>

#include "twolayer/train/batch_gd.hpp"

#include "../sim/host_network.hpp"

namespace twolayer::tool::research {

/// A dataset of M samples of N doubles (row-major) and M labels, owned.
struct host_dataset {
    index_t M = 0, N = 0;
    std::vector<double> X, y;
    host_dataset(index_t m, index_t n) : M(m), N(n), X(std::size_t(m * n)), y(std::size_t(m)) {}
    dataset_ref<double, dynamic_extent, dynamic_extent> ref() const {
        return {mat_view<const double>(X.data(), M, N), vec_view<const double>(y.data(), M)};
    }
};

/// Full-batch GD steps of a host_network<double, Act> with the loss Loss.
template <class Act>
class full_batch_gd {
    using step = batch_step<double>;

public:
    full_batch_gd(index_t N, index_t P)
        : dW_(std::size_t(N * P)), dv_(std::size_t(P)), db_(std::size_t(P)), N_(N), P_(P) {}

    /// One guarded step on every sample of data, the mean loss's gradient (plus config's weight
    /// decay): ok, or why nothing was written. loss_before: the mean loss before the step.
    template <class Loss>
    step_status run(const dyn_network_ref<double, Act>& net, const host_dataset& data, const train_config<double>& config,
                    const Loss& loss, bool readout_only, double* loss_before = nullptr) {
        if (!guard::config_ok(config)) return step_status::bad_config;
        const auto g = grads();
        const step_result<double> r = step::accumulate(net, data.ref(), data.M, [](index_t i) { return i; }, loss, g,
                                                       arch::default_arch{});
        if (loss_before) *loss_before = r.loss;
        if (!r) return r.status;
        typename step::update_plan u(config, net, data.M, 1.0, true);
        if (readout_only) {
            u.w.on = false;  // the first layer is frozen
            u.hb.on = false;
        }
        typename step::no_master* none = nullptr;
        double w_max = 0;
        const step_status st = step::check(u, net, none, g, w_max);
        if (st == step_status::ok) step::write(u, net, none, g, rounding_, w_max);
        return st;
    }

private:
    gradients_ref<double, dynamic_extent, dynamic_extent> grads() {
        return {mat_view<double>(dW_.data(), P_, N_), vec_view<double>(dv_.data(), P_), vec_view<double>(db_.data(), P_),
                &dc_};
    }
    std::vector<double> dW_, dv_, db_;
    double dc_ = 0;
    index_t N_, P_;
    round_nearest rounding_;
};

}  // namespace twolayer::tool::research
