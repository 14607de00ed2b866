// Sharpness on the device: lambda_max of the empirical Hessian of the current network over the
// samples it holds, by Lanczos (analysis/lanczos.hpp) on the exact Hessian-vector product
// (analysis/hvp.hpp), in a caller-provided fixed workspace; and the step-size cap it gives
// gradient descent.
//
// Why 2 / lambda_max. Full-batch GD on a quadratic L(theta) = 0.5 theta^T H theta - b^T theta
// with rate eta maps the error e = theta - theta* to (I - eta H) e: it converges iff every
// eigenvalue of I - eta H lies in (-1, 1), i.e. eta < 2 / lambda_max(H) (for H positive
// definite; a direction of curvature <= 0 never oscillates, whatever the rate). Near a point the
// loss is that quadratic up to its third derivatives, so 2 / lambda_max is the rate above which GD
// moves away along the top eigenvector (exactly so for linear units and the squared loss, whose
// loss is quadratic in each layer with the other fixed, and approximately elsewhere).
//
// What the trainers' rates mean (train/batch_gd.hpp, batch_step::update_plan). A full-batch step
// with schedule factor s = 1 sets, with M the batch size and grad the gradient of the mean loss,
//   W <- (1 - lr_w wd_w) W - lr_w grad_W               = W - lr_w (grad_W + wd_w W),
//   v <- (1 - r_v wd_v) v - r_v grad_v,   r_v = lr_v / N (teacher_student) or lr_v (plain),
//   b, c <- b, c - r_b grad_b,c,          r_b = lr_b / N (teacher_student) or lr_b (plain),
// i.e. theta <- theta - D grad(L_pen), L_pen = L + 0.5 wd_w |W|^2 + 0.5 wd_v |v|^2 and
// D = diag(lr_w on W, r_v on v, r_b on b and c). That is GD preconditioned by D, which maps e to
// (I - D H_pen) e, similar to I - D^1/2 H_pen D^1/2: it is stable iff
//   mu = lambda_max(D^1/2 H_pen D^1/2) < 2.
// So largest_stable_lr(sharpness(...)) = 2 / lambda_max(H_pen) is the trainers' rate only when
// every active block moves with that one rate: plain scaling with lr_w = lr_v = lr_b, or
// teacher_student with lr_v = lr_b = N lr_w (then the limit is on lr_w, and lr_v, lr_b are N times
// it). cap_step_size works for both scalings and unequal rates: it runs Lanczos on
// D^1/2 H_pen D^1/2 (sharpness_settings::rates) and multiplies every rate by one factor
// t = min(1, safety 2 / mu), keeping their ratios; for plain equal rates that is exactly
// min(lr, safety * largest_stable_lr). A schedule multiplies the rates later: the cap holds for
// schedule factors <= 1.
#pragma once
#include <cstdint>
#include <limits>

#include "twolayer/analysis/hessian_operator.hpp"
#include "twolayer/analysis/hvp.hpp"
#include "twolayer/analysis/lanczos.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/train/batch_gd.hpp"
#include "twolayer/train/config.hpp"
#include "twolayer/train/guard.hpp"

namespace twolayer {

// How a sharpness run ended.
//   ok: lambda_max and its residual bound are set.
//   bad_settings: a block rate is negative or not finite.
//   analysis_failed: a Hessian-vector product refused its inputs (sharpness_result::analysis says
//     why: an empty dataset, sizes, alignment).
//   lanczos_failed: Lanczos did not finish (sharpness_result::lanczos: no active parameter,
//     a non-finite product, no convergence).
enum class sharpness_status : std::uint8_t { ok, bad_settings, analysis_failed, lanczos_failed };

// The result of sharpness(): lambda_max (the largest Ritz value; the top eigenvalue lies within
// residual_bound of it once Lanczos has found it, which it does first), the number of Lanczos
// steps (products) used, and the statuses of the parts.
struct sharpness_result {
    sharpness_status status = sharpness_status::ok;
    analysis_status analysis = analysis_status::ok;
    lanczos_status lanczos = lanczos_status::ok;
    double lambda_max = 0;
    double residual_bound = 0;
    index_t steps = 0;
    bool ok() const { return status == sharpness_status::ok; }
    explicit operator bool() const { return ok(); }
};

// The per-block weights D of a preconditioned Hessian D^1/2 H D^1/2 (the rates a GD step applies
// to each block; all 1: H itself). b weighs the hidden and output biases.
struct block_rates {
    double w = 1;
    double v = 1;
    double b = 1;
};

// What sharpness() measures: the Hessian of the loss penalized by penalty, restricted to blocks,
// weighted by rates; Lanczos with at most steps steps (0: the workspace's Steps) from the
// deterministic start vector of seed (lanczos_start_vector, zero on the inactive blocks).
template <class C>
struct sharpness_settings {
    hessian_blocks blocks{};
    l2_penalty<C> penalty{};
    block_rates rates{};
    index_t steps = 0;
    std::uint64_t seed = 0;
};

// Everything sharpness() needs for a network<F, N, P, ...> with at most Steps Lanczos steps, in
// one object without heap (a firmware keeps it in a static: it is large, Steps (NP + Steps + 4)
// doubles and more): the Lanczos basis, the Hessian operator's storage, and one flat vector (the
// start vector, then the weighted direction of each product).
template <class F, index_t N, index_t P, index_t Steps>
struct sharpness_workspace {
    static_assert(N != dynamic_extent && P != dynamic_extent && N >= 1 && P >= 1,
                  "sharpness_workspace<F, N, P, Steps>: N and P must be static and at least 1");
    static_assert(Steps >= 1, "sharpness_workspace<F, N, P, Steps>: at least one Lanczos step");
    static_assert(Steps <= max_flat_size<N, P>,
                  "sharpness_workspace<F, N, P, Steps>: more Lanczos steps than the network has parameters "
                  "(P N + 2 P + 1): the storage would be wasted");
    using format = F;
    static constexpr index_t inputs = N, hidden = P, max_steps = Steps;
    static constexpr index_t dimension = max_flat_size<N, P>;
    lanczos<dimension, Steps> lz{};
    hessian_operator_storage<F, N, P> op{};
    vec<double, dimension> scaled{};
};

namespace detail {
// A block rate's square root, or a negative value when the rate is negative or not finite.
inline double rate_root(double r) { return math::isfinite(r) && r >= 0 ? math::sqrt(r) : -1.0; }
}  // namespace detail

// lambda_max of the (penalized, restricted, weighted: sharpness_settings) Hessian of the mean loss
// of net over data, by Lanczos in ws. net: a network or a network_ref with static sizes N, P of
// format F (read only); data: a dataset or a dataset_ref of storage_t<F>; loss needs deriv2.
// Deterministic: the same start vector and the same products on every run. Cost: one product
// (3 M N P multiply-adds) per step, plus the reorthogonalization (about 4 steps^2 (N P) flops).
template <class Net, class D, class F, index_t N, index_t P, index_t Steps, class Loss = squared_loss,
          class Arch = arch::default_arch, std::enable_if_t<is_network_v<Net> && is_dataset_v<D>, int> = 0>
sharpness_result sharpness(const Net& n, const D& d, sharpness_workspace<F, N, P, Steps>& ws,
                           const sharpness_settings<compute_t<F>>& settings = {}, const Loss& loss = {},
                           Arch arch = {}) {
    const auto& net = read_ref(n);
    const auto& data = to_ref(d);
    using NR = std::decay_t<decltype(net)>;
    static_assert(std::is_same<typename NR::format, F>::value,
                  "sharpness: the workspace's format is not the network's");
    static_assert((NR::n_extent == N || NR::n_extent == dynamic_extent) &&
                      (NR::p_extent == P || NR::p_extent == dynamic_extent),
                  "sharpness: the workspace's N or P is not the network's");
    sharpness_result res;
    const double sw = detail::rate_root(settings.rates.w), sv = detail::rate_root(settings.rates.v),
                 sb = detail::rate_root(settings.rates.b);
    if (sw < 0 || sv < 0 || sb < 0) {
        res.status = sharpness_status::bad_settings;
        return res;
    }
    if (net.inputs() != N || net.hidden() != P) {
        res.status = sharpness_status::analysis_failed;
        res.analysis = analysis_status::size_mismatch;
        return res;
    }
    const parameter_layout L = parameter_layout_of(net);
    const index_t dim = L.size();
    const hessian_blocks blocks = settings.blocks;
    auto root = [&](index_t i) { return i < L.v_offset() ? sw : i < L.b_offset() ? sv : sb; };
    const bool weighted = sw != 1.0 || sv != 1.0 || sb != 1.0;
    const vec_view<double> scaled(ws.scaled.data, dim);
    analysis_status first_failure = analysis_status::ok;
    // out = D^1/2 H D^1/2 in (the weights skipped when they are all 1).
    auto op = [&](vec_view<const double> in, vec_view<double> out) {
        vec_view<const double> arg = in;
        if (weighted) {
            for (index_t i = 0; i < dim; ++i) scaled[i] = root(i) * in[i];
            arg = vec_view<const double>(scaled);
        }
        const analysis_status st =
            detail::apply_hessian(net, data, arg, out, ws.op, settings.penalty, blocks, loss, arch);
        if (st != analysis_status::ok && first_failure == analysis_status::ok) first_failure = st;
        if (weighted && st == analysis_status::ok)
            for (index_t i = 0; i < dim; ++i) out[i] = root(i) * out[i];
    };
    // The start vector in the active blocks (so the Krylov space stays there); run_from copies it
    // before the first product overwrites the buffer.
    lanczos_start_vector(scaled, settings.seed);
    zero_inactive(L, blocks, scaled);
    const index_t steps = settings.steps == 0 || settings.steps > Steps ? Steps : settings.steps;
    res.lanczos = ws.lz.run_from(op, vec_view<const double>(scaled), steps);
    res.steps = ws.lz.steps();
    if (first_failure != analysis_status::ok) {
        res.status = sharpness_status::analysis_failed;
        res.analysis = first_failure;
        return res;
    }
    if (res.lanczos != lanczos_status::ok || res.steps == 0) {
        res.status = sharpness_status::lanczos_failed;
        return res;
    }
    const ritz_pair top = ws.lz.largest(0);
    res.lambda_max = top.value;
    res.residual_bound = top.residual_bound;
    return res;
}

// The largest rate of plain full-batch GD on every active block that is stable for the quadratic
// model at the current point: 2 / (lambda_max + residual_bound) (the bound makes it safe once
// Lanczos has found the top eigenvalue). +infinity when lambda_max + residual_bound <= 0 (no
// direction of positive curvature: the rate is not limited by it); NaN when r failed. For the
// trainers' rates under either lr_scaling, see the top of this file and cap_step_size.
inline double largest_stable_lr(const sharpness_result& r) {
    if (!r.ok()) return std::numeric_limits<double>::quiet_NaN();
    const double top = r.lambda_max + r.residual_bound;
    if (!math::isfinite(top)) return std::numeric_limits<double>::quiet_NaN();
    if (top <= 0) return std::numeric_limits<double>::infinity();
    return 2.0 / top;
}

// What cap_step_size did.
//   capped: the rates were multiplied by factor < 1.
//   unchanged: the rates were already below the cap (factor 1).
//   not_positive: mu <= 0, no curvature limit: rates unchanged.
//   failed: the configuration or safety is invalid, or the sharpness run failed (sharpness says
//     why), or mu is not finite: rates unchanged.
enum class step_cap_status : std::uint8_t { capped, unchanged, not_positive, failed };

// The result of cap_step_size: the configuration to train with (the given one with every rate
// times factor), the status, factor, and the sharpness run of the weighted Hessian
// D^1/2 H_pen D^1/2 (its lambda_max is mu, dimensionless: the top eigenvalue of D H_pen).
template <class C>
struct step_cap {
    train_config<C> config{};
    step_cap_status status = step_cap_status::failed;
    double factor = 1;
    sharpness_result sharpness{};
};

// The trainers' configuration with its rates capped for full-batch GD on net over data: every rate
// (lr_w, lr_v, lr_b) times t = min(1, safety 2 / mu), mu = lambda_max + residual_bound of
// D^1/2 H_pen D^1/2 with D the per-block rates config gives a step (lr_w; lr_v and lr_b, divided
// by N under lr_scaling::teacher_student) and H_pen the Hessian of the loss with config's weight
// decay, over the trained blocks (train_w, train_v, train_b); the top of this file derives it.
// safety in (0, 1]. Rates are left unchanged (status says why) when mu <= 0 or anything fails; the
// config's other fields are always kept. steps, seed: as in sharpness_settings.
template <class Net, class D, class F, index_t N, index_t P, index_t Steps, class Loss = squared_loss,
          class Arch = arch::default_arch, std::enable_if_t<is_network_v<Net> && is_dataset_v<D>, int> = 0>
step_cap<compute_t<F>> cap_step_size(const train_config<compute_t<F>>& config, const Net& net, const D& data,
                                     sharpness_workspace<F, N, P, Steps>& ws, double safety = 0.9,
                                     const Loss& loss = {}, Arch arch = {}, index_t steps = 0,
                                     std::uint64_t seed = 0) {
    using C = compute_t<F>;
    step_cap<C> cap;
    cap.config = config;
    if (!guard::config_ok(config) || !math::isfinite(safety) || !(safety > 0 && safety <= 1)) return cap;
    const double per_n = config.scaling == lr_scaling::teacher_student ? 1.0 / double(read_ref(net).inputs()) : 1.0;
    sharpness_settings<C> s;
    s.blocks = {config.train_w, config.train_v, config.train_b};
    s.penalty = {config.weight_decay_w, config.weight_decay_v};
    s.rates = {double(config.lr_w), double(config.lr_v) * per_n, double(config.lr_b) * per_n};
    s.steps = steps;
    s.seed = seed;
    cap.sharpness = sharpness(net, data, ws, s, loss, arch);
    if (!cap.sharpness) return cap;
    const double mu = cap.sharpness.lambda_max + cap.sharpness.residual_bound;
    if (!math::isfinite(mu)) return cap;
    if (mu <= 0) {
        cap.status = step_cap_status::not_positive;
        return cap;
    }
    const double t = safety * 2.0 / mu;
    if (!(t < 1)) {
        cap.status = step_cap_status::unchanged;
        return cap;
    }
    cap.factor = t;
    cap.config.lr_w = C(double(config.lr_w) * t);
    cap.config.lr_v = C(double(config.lr_v) * t);
    cap.config.lr_b = C(double(config.lr_b) * t);
    cap.status = step_cap_status::capped;
    return cap;
}

// Full-batch GD (gd_trainer) with the step-size cap recomputed automatically: before the first
// step and then every `every` steps (calls of full_batch; 0: only before the first), the trainer's
// configuration becomes cap_step_size(config, net, data, ws, safety). config holds the rates asked
// for; trainer is the gd_trainer that runs (its config is the capped one; its guard, counters and
// refusals are unchanged: a refused step writes nothing). The workspace is the caller's (large;
// a static on a device) and must outlive the object.
template <class F, index_t N, index_t P, index_t Steps, class Loss = squared_loss, class Rounding = round_nearest>
class capped_gd_trainer {
    using C = compute_t<F>;

public:
    train_config<C> config{};  // the rates asked for
    double safety = 0.9;
    std::uint64_t every = 1;
    gd_trainer<F, N, P, Loss, Rounding> trainer;

    capped_gd_trainer(const train_config<C>& c, sharpness_workspace<F, N, P, Steps>& ws, std::uint64_t every_ = 1,
                      double safety_ = 0.9, Loss l = Loss{}, Rounding r = Rounding{})
        : config(c), safety(safety_), every(every_), trainer(c, l, r), ws_(&ws) {}

    // One full-batch GD step on data with the cap (recomputed first when due).
    template <class Net, class Dt, class Arch = arch::default_arch,
              std::enable_if_t<is_network_v<Net> && is_dataset_v<Dt>, int> = 0>
    step_result<C> full_batch(Net&& net, const Dt& data, Arch a = {}) {
        if (calls_ == 0 || (every != 0 && calls_ % every == 0)) {
            cap_ = cap_step_size(config, net, data, *ws_, safety, trainer.loss, a);
            trainer.config = cap_.config;
        }
        ++calls_;
        return trainer.full_batch(net, data, a);
    }

    // The last cap computed (status failed, factor 1, before the first step).
    const step_cap<C>& last_cap() const { return cap_; }

private:
    sharpness_workspace<F, N, P, Steps>* ws_;
    step_cap<C> cap_{};
    std::uint64_t calls_ = 0;
};

}  // namespace twolayer
