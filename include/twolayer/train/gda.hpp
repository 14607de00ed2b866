// Gradient descent-ascent (GDA) between two two-layer networks playing a min-max game.
//
// A minimizing player F (network min_net, parameters theta) and a maximizing player G (max_net,
// parameters phi), each of its own format, sizes, activation and train_config, play
//     min_theta max_phi  L(u, v),   u_i = F_theta(z_i),  v_i = G_phi(z_i),  i = 0 .. M-1,
// on a fixed set of M inputs z_i (a dataset per player, in its storage type: the same points
// stored twice when the formats differ; the labels are not read). The game is a small policy type
// (train/games.hpp) that knows L only through the players' outputs. By the chain rule
//     dL/dtheta = sum_i (dL/du_i) dF(z_i)/dtheta,
// the gradient of the weighted sum of F's outputs with weights dL/du_i: exactly what the batch
// trainer's backward machinery accumulates (accumulate_gradients with dl = dL/du_i), so GDA has no
// backward pass of its own. The max player ascends: its weights are -dL/dv_i.
//
// Alternating GDA (gda_mode::alternating, the default): theta' = theta - lr grad_theta L(u, v),
// then phi' = phi + lr grad_phi L(u', v) with u' = F_theta'(z), the min player's NEW outputs.
// Simultaneous GDA (gda_mode::simultaneous): both gradients at (u, v). On the bilinear game
// L = u^T B v simultaneous GDA spirals away from the equilibrium and alternating GDA does not
// diverge for small rates (its linearized map has determinant 1); on the hidden convex-concave
// game L = 0.5|u|^2 - 0.5|v|^2 + u^T B v both converge when the players are wide enough that
// their tangent kernels on the M inputs are full rank.
//
// The guard is every trainer's (train/guard.hpp, batch_step's plan/check/write): a step whose
// inputs, outputs, objective or derivatives are not finite, whose settings are bad, or whose
// candidate weights (of EITHER player) are not finite or out of the limits is refused with a
// step_status and writes NEITHER player: both candidates are computed and checked before anything
// is written. Alternating GDA needs u' before the max player's step is known to be acceptable, so
// the trainer writes the min player's update into a candidate copy of the min player (inside the
// object: its parameters and cache, about the min network's size in RAM), evaluates u' on it, and
// copies the candidate's parameters into min_net only once the max player's check passed. As in
// every trainer, a step (also a refused one) overwrites the networks' forward caches (lambda, g,
// delta, the last output), never a parameter or the head's |W| bound; a stochastic rounding policy
// draws its bits for the candidate even when the max player's check then refuses the step.
//
// Rates: the default train_configs use lr_scaling::plain (theta -= lr grad L: L is a sum over the
// inputs, not a mean, and the game has no teacher-student time scale); teacher_student scaling
// still divides the second-layer and bias rates by N if asked for. Weight decay shrinks each
// player's own weights (for the max player: a penalty subtracted from its objective). No master
// copies. Nothing allocates: every buffer is in the trainer (5 M values of T: u, v, their
// derivatives and u'; the two players' gradient sums; the candidate).
#pragma once
#include <cstdint>
#include <type_traits>

#include "twolayer/model/dataset.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/batch_gd.hpp"
#include "twolayer/train/games.hpp"
#include "twolayer/train/rounding.hpp"

namespace twolayer {

// Which GDA: the max player's step at the min player's new outputs, or both at the old ones.
enum class gda_mode : std::uint8_t { alternating, simultaneous };

// Whose sample, output or update a refused step was refused for (none: the settings' sizes,
// the game's objective, or an accepted step).
enum class gda_player : std::uint8_t { none, min, max };

// What a GDA step (or evaluate) reports: the status (ok: applied), the objective L(u, v) and the
// game's distance to its equilibrium, both at the outputs BEFORE the step, in the game's type T.
template <class T>
struct gda_result {
    step_status status = step_status::ok;
    gda_player player = gda_player::none;
    index_t sample = 0;  // for nonfinite_input / nonfinite_output: the input's index
    T value = T(0);      // L(u, v) before the step
    T distance = T(0);   // game.distance(u, v) before the step
    bool ok() const { return status == step_status::ok; }
    explicit operator bool() const { return ok(); }
};


namespace detail {
// A player's format, sizes and activation, from its owning network type.
template <class Net>
struct gda_player_of {
    using format = typename Net::format;
    using activation = typename Net::activation;
    static constexpr index_t n = Net::inputs();
    static constexpr index_t p = Net::hidden();
};
}  // namespace detail

// GDA between a min player of type MinNet and a max player of type MaxNet (each a network<F, N,
// P, Act>: the trainer takes their formats, sizes and activations from the types), on at most M
// inputs, for the objective Game, storing updates with Rounding (one policy object for both).
// step() takes the networks themselves or network_refs of those formats and activations (static
// sizes equal to the types', or dynamic sizes checked at run time), and the inputs as datasets or
// dataset_refs of each player's storage type.
template <class MinNet, class MaxNet, index_t M, class Game, class Rounding = round_nearest>
class gda_trainer {
    using PA = detail::gda_player_of<MinNet>;
    using PB = detail::gda_player_of<MaxNet>;
    using FA = typename PA::format;
    using FB = typename PB::format;
    using CA = compute_t<FA>;
    using CB = compute_t<FB>;
    static constexpr index_t NA = PA::n, PPA = PA::p, NB = PB::n, PPB = PB::p;
    using T = typename Game::value_type;
    static_assert(std::is_same<T, float>::value || std::is_same<T, double>::value,
                  "gda_trainer: the game's value_type must be float or double");
    static_assert(M >= 1, "gda_trainer<..., M, ...>: M (the number of inputs) must be at least 1");
    template <class A>
    using if_arch = std::enable_if_t<std::is_base_of<kernels::scalar, A>::value, int>;
    template <class NetA, class NetB, class ZA, class ZB>
    using if_args = std::enable_if_t<is_network_v<NetA> && is_network_v<NetB> && is_dataset_v<ZA> && is_dataset_v<ZB>, int>;

    template <class C>
    static train_config<C> plain_config() {
        train_config<C> c;
        c.scaling = lr_scaling::plain;
        return c;
    }

public:
    train_config<CA> config_min = plain_config<CA>();  // the min player's rates, decay, limit, schedule
    train_config<CB> config_max = plain_config<CB>();  // the max player's
    Game game{};
    gda_mode mode = gda_mode::alternating;
    Rounding rounding{};

    // A game (its coefficients: views of the caller's storage), the mode, and optionally both
    // players' settings and the rounding policy; the default configs are plain-scaled rates of 1.
    gda_trainer() = default;
    explicit gda_trainer(const Game& g, gda_mode m = gda_mode::alternating) : game(g), mode(m) {}
    gda_trainer(const Game& g, const train_config<CA>& cmin, const train_config<CB>& cmax,
                gda_mode m = gda_mode::alternating, Rounding r = Rounding{})
        : config_min(cmin), config_max(cmax), game(g), mode(m), rounding(r) {}

    std::uint64_t steps() const { return steps_; }        // accepted steps
    std::uint64_t rejected() const { return rejected_; }  // refused steps
    // The players' outputs u, v on the inputs at the last step or evaluate (before its update),
    // as far as it got: m values each.
    vec_view<const T> outputs_min() const { return {u_.data, m_}; }
    vec_view<const T> outputs_max() const { return {v_.data, m_}; }

    // One GDA step (alternating or simultaneous, as `mode` says) on the inputs z_min (the min
    // player's storage) and z_max (the max player's, the same points), in this order of checks,
    // the first failure its status, nothing written on any: no inputs (empty_batch); sizes (each
    // network's against the trainer's and its own views, each input set's against its player's
    // N, the two input sets with the same count, at most M, equal to game.size(): size_mismatch);
    // alignment (misaligned_buffer); both configs (bad_config); the min player's inputs, then the
    // max player's (nonfinite_input); their outputs (nonfinite_output); the objective and its
    // derivatives at (u, v) (nonfinite_output); the schedules' factors (bad_config); the min
    // player's update (the batch trainer's check: nonfinite_update, weight_limit_exceeded,
    // range_exceeded); [alternating: u' and the objective's derivatives at (u', v)
    // (nonfinite_output)]; the max player's update. Then both players are written.
    template <class NetA, class NetB, class ZA, class ZB, class Arch = arch::default_arch,
              if_args<NetA, NetB, ZA, ZB> = 0, if_arch<Arch> = 0>
    gda_result<T> step(NetA&& min_net, NetB&& max_net, const ZA& z_min, const ZB& z_max, Arch a = {}) {
        if constexpr (accepts<NetA, NetB, ZA, ZB>()) {
            return counted(run(to_ref(min_net), to_ref(max_net), to_ref(z_min), to_ref(z_max), true, a));
        } else {
            return {};
        }
    }
    // Both players read the same input set (same storage type and N).
    template <class NetA, class NetB, class Z, class Arch = arch::default_arch, if_args<NetA, NetB, Z, Z> = 0,
              if_arch<Arch> = 0>
    gda_result<T> step(NetA&& min_net, NetB&& max_net, const Z& z, Arch a = {}) {
        return step(min_net, max_net, z, z, a);
    }

    // The checks and the outputs of a step, without an update: the objective and the distance to
    // the equilibrium now (for a log after the last step); counts nothing.
    template <class NetA, class NetB, class ZA, class ZB, class Arch = arch::default_arch,
              if_args<NetA, NetB, ZA, ZB> = 0, if_arch<Arch> = 0>
    gda_result<T> evaluate(NetA&& min_net, NetB&& max_net, const ZA& z_min, const ZB& z_max, Arch a = {}) {
        if constexpr (accepts<NetA, NetB, ZA, ZB>()) {
            return run(to_ref(min_net), to_ref(max_net), to_ref(z_min), to_ref(z_max), false, a);
        } else {
            return {};
        }
    }
    template <class NetA, class NetB, class Z, class Arch = arch::default_arch, if_args<NetA, NetB, Z, Z> = 0,
              if_arch<Arch> = 0>
    gda_result<T> evaluate(NetA&& min_net, NetB&& max_net, const Z& z, Arch a = {}) {
        return evaluate(min_net, max_net, z, z, a);
    }

private:
    using candidate_t = network<FA, NA, PPA, typename PA::activation>;
    gradients<CA, NA, PPA> grads_min_{};
    gradients<CB, NB, PPB> grads_max_{};
    candidate_t candidate_{};  // the min player after its update (alternating GDA)
    vec<T, M> u_{}, v_{}, du_{}, dv_{};
    vec<T, M> u_new_{};  // u' (alternating)
    index_t m_ = 0;
    std::uint64_t steps_ = 0, rejected_ = 0;

    // The networks' and input sets' types against the trainer's: one static_assert naming the
    // first that does not match.
    template <class Net, class P>
    static constexpr bool fits_player() {
        using R = ref_of_t<Net>;
        return std::is_same<typename R::format, typename P::format>::value &&
               std::is_same<typename R::activation, typename P::activation>::value &&
               (R::n_extent == P::n || R::n_extent == dynamic_extent) &&
               (R::p_extent == P::p || R::p_extent == dynamic_extent);
    }
    template <class Z, class P>
    static constexpr bool fits_inputs() {
        using DR = std::decay_t<decltype(to_ref(std::declval<const Z&>()))>;
        return std::is_same<typename DR::value_type, storage_t<typename P::format>>::value &&
               (DR::n_extent == P::n || DR::n_extent == dynamic_extent) &&
               (DR::m_extent == dynamic_extent || DR::m_extent <= M);
    }
    template <class NetA, class NetB, class ZA, class ZB>
    static constexpr bool accepts() {
        constexpr bool a = fits_player<NetA, PA>(), b = fits_player<NetB, PB>();
        static_assert(a, "gda_trainer: the min player is not a network of MinNet's format, activation and sizes");
        static_assert(!a || b, "gda_trainer: the max player is not a network of MaxNet's format, activation and sizes");
        constexpr bool za = fits_inputs<ZA, PA>(), zb = fits_inputs<ZB, PB>();
        static_assert(!a || !b || za,
                      "gda_trainer: the min player's inputs are not a dataset of its storage type with its N (and at "
                      "most M samples)");
        static_assert(!a || !b || !za || zb,
                      "gda_trainer: the max player's inputs are not a dataset of its storage type with its N (and at "
                      "most M samples)");
        return a && b && za && zb;
    }

    static gda_result<T> failed(gda_result<T> r, step_status s, gda_player p = gda_player::none, index_t i = 0) {
        r.status = s;
        r.player = p;
        r.sample = i;
        return r;
    }
    gda_result<T> counted(gda_result<T> r) {
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }
    vec_view<const T> cview(const vec<T, M>& x) const { return {x.data, m_}; }
    vec_view<T> mview(vec<T, M>& x) { return {x.data, m_}; }

    // Every input finite (guard::scan, by bits): else the index of the first that is not.
    template <class F, class DR>
    static bool inputs_finite(const DR& z, index_t& bad) {
        for (index_t i = 0; i < z.samples(); ++i)
            if (!guard::scan<F>(z.sample(i)).finite) { bad = i; return false; }
        return true;
    }
    // The outputs of net on every input, as T, into out: false (bad: the input) if one is not finite.
    template <class Ref, class DR, class Arch>
    bool outputs(const Ref& net, const DR& z, vec<T, M>& out, index_t& bad, Arch arch) const {
        for (index_t i = 0; i < m_; ++i) {
            out[i] = T(detail::forward_pass(net, z.sample(i), arch));
            if (!math::isfinite(out[i])) { bad = i; return false; }
        }
        return true;
    }
    bool all_finite(const vec<T, M>& x) const {
        for (index_t i = 0; i < m_; ++i)
            if (!math::isfinite(x[i])) return false;
        return true;
    }
    // The gradient of sum_i sign w_i net(z_i) into grads (the batch trainer's backward pass with
    // dl = sign w_i): false if a weight is not finite in the player's compute type.
    template <class Ref, class DR, class Grads, class Arch>
    bool weighted_gradient(const Ref& net, const DR& z, const vec<T, M>& w, T sign, const Grads& grads, Arch arch) const {
        using C = compute_t<typename Ref::format>;
        grads.zero();
        for (index_t i = 0; i < m_; ++i) {
            const C dl = C(sign * w[i]);
            if (!math::isfinite(dl)) return false;
            detail::forward_pass(net, z.sample(i), arch);
            accumulate_gradients(net, z.sample(i), dl, grads, arch);
        }
        return true;
    }
    // The candidate becomes a copy of the min player's parameters and bias switches.
    template <class Ref>
    void load_candidate(const Ref& net) {
        const auto W = candidate_.W_mut().flat();
        const auto v = candidate_.v_mut();
        const auto b = candidate_.hidden_bias_mut();
        for (index_t i = 0; i < W.size(); ++i) W[i] = net.W.flat()[i];
        for (index_t k = 0; k < PPA; ++k) {
            v[k] = net.v[k];
            b[k] = net.b[k];
        }
        candidate_.set_output_bias(net.head->output_bias);
        candidate_.use_hidden_bias(net.head->hidden_bias_on());
        candidate_.use_output_bias(net.head->output_bias_on());
    }
    // The min player takes the candidate's updated groups (and the |W| bound the check proved).
    template <class Ref, class Plan>
    void store_candidate(const Ref& net, const Plan& u, CA w_max) {
        if (u.w.on) {
            for (index_t i = 0; i < net.W.size(); ++i) net.W.flat()[i] = candidate_.W().flat()[i];
            net.head->set_w_absmax_bound(w_max);
        }
        for (index_t k = 0; k < PPA; ++k) {
            if (u.v.on) net.v[k] = candidate_.v()[k];
            if (u.hb.on) net.b[k] = candidate_.hidden_bias()[k];
        }
        if (u.ob.on) net.head->output_bias = candidate_.output_bias();
    }

    template <class RA, class RB, class DA, class DB, class Arch>
    gda_result<T> run(const RA& na, const RB& nb, const DA& za, const DB& zb, bool update, Arch arch) {
        gda_result<T> r;
        m_ = 0;
        const index_t m = za.samples();
        if (m == 0) return failed(r, step_status::empty_batch);
        const bool sizes = na.sizes_agree() && na.inputs() == NA && na.hidden() == PPA && nb.sizes_agree() &&
                           nb.inputs() == NB && nb.hidden() == PPB && za.inputs() == NA && zb.inputs() == NB &&
                           zb.samples() == m && m <= M && game.size() == m;
        if (!sizes) return failed(r, step_status::size_mismatch);
        if (!na.aligned() || !nb.aligned() || !is_aligned(za.X) || !is_aligned(zb.X))
            return failed(r, step_status::misaligned_buffer);
        if (!guard::config_ok(config_min)) return failed(r, step_status::bad_config, gda_player::min);
        if (!guard::config_ok(config_max)) return failed(r, step_status::bad_config, gda_player::max);
        index_t bad = 0;
        if (!inputs_finite<FA>(za, bad)) return failed(r, step_status::nonfinite_input, gda_player::min, bad);
        if (!inputs_finite<FB>(zb, bad)) return failed(r, step_status::nonfinite_input, gda_player::max, bad);
        m_ = m;
        if (!outputs(na, za, u_, bad, arch)) return failed(r, step_status::nonfinite_output, gda_player::min, bad);
        if (!outputs(nb, zb, v_, bad, arch)) return failed(r, step_status::nonfinite_output, gda_player::max, bad);
        r.value = game.value(cview(u_), cview(v_));
        r.distance = game.distance(cview(u_), cview(v_));
        game.gradient_u(cview(u_), cview(v_), mview(du_));
        game.gradient_v(cview(u_), cview(v_), mview(dv_));
        if (!math::isfinite(r.value) || !math::isfinite(r.distance) || !all_finite(du_) || !all_finite(dv_))
            return failed(r, step_status::nonfinite_output);
        if (!update) return r;

        const CA sa = config_min.schedule ? config_min.schedule(steps_, config_min.schedule_ctx) : CA(1);
        if (!guard::rate_ok(sa)) return failed(r, step_status::bad_config, gda_player::min);
        const CB sb = config_max.schedule ? config_max.schedule(steps_, config_max.schedule_ctx) : CB(1);
        if (!guard::rate_ok(sb)) return failed(r, step_status::bad_config, gda_player::max);
        constexpr bool nearest = rounds_to_nearest_v<Rounding>;
        using step_a = batch_step<FA>;
        using step_b = batch_step<FB>;
        typename step_a::no_master* no_master_a = nullptr;
        typename step_b::no_master* no_master_b = nullptr;

        // The min player descends on L(u, v): weights dL/du_i, a sum (count 1: no mean).
        if (!weighted_gradient(na, za, du_, T(1), grads_min_.ref(), arch))
            return failed(r, step_status::nonfinite_output, gda_player::min);
        const typename step_a::update_plan ua(config_min, na, 1, sa, nearest);
        CA wa(0);
        r.status = step_a::check(ua, na, no_master_a, grads_min_.ref(), wa);
        if (!r) return failed(r, r.status, gda_player::min);

        const bool alternating = mode == gda_mode::alternating;
        if (alternating) {  // u' on the candidate, and the max player's weights at (u', v)
            load_candidate(na);
            step_a::write(ua, candidate_.ref(), no_master_a, grads_min_.ref(), rounding, wa);
            if (!outputs(candidate_.ref(), za, u_new_, bad, arch))
                return failed(r, step_status::nonfinite_output, gda_player::min, bad);
            game.gradient_v(cview(u_new_), cview(v_), mview(dv_));
            if (!math::isfinite(game.value(cview(u_new_), cview(v_))) || !all_finite(dv_))
                return failed(r, step_status::nonfinite_output);
        }
        // The max player ascends: weights -dL/dv_i.
        if (!weighted_gradient(nb, zb, dv_, T(-1), grads_max_.ref(), arch))
            return failed(r, step_status::nonfinite_output, gda_player::max);
        const typename step_b::update_plan ub(config_max, nb, 1, sb, nearest);
        CB wb(0);
        r.status = step_b::check(ub, nb, no_master_b, grads_max_.ref(), wb);
        if (!r) return failed(r, r.status, gda_player::max);

        // Both accepted: write.
        if (alternating) {
            store_candidate(na, ua, wa);
        } else {
            step_a::write(ua, na, no_master_a, grads_min_.ref(), rounding, wa);
        }
        step_b::write(ub, nb, no_master_b, grads_max_.ref(), rounding, wb);
        return r;
    }
};

}  // namespace twolayer
