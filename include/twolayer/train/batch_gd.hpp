// Full-batch gradient descent and mini-batch SGD over a fixed-size dataset. The gradient is the
// mean over the batch (summed in the compute type); the update is checked whole before any
// weight is written, then stored with the trainer's rounding policy, or applied to a master copy
// and stored from it (as in online_sgd).
#pragma once
#include <limits>

#include "twolayer/train/rounding.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/dataset.hpp"
#include "twolayer/train/gradients.hpp"
#include "twolayer/train/guard.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/format/update_rule.hpp"

namespace twolayer {

// The pieces of one batch step, stateless and on views (usable with any storage): gd_trainer
// runs them in order, accumulate -> plan -> check -> write.
template <class F>
struct batch_step {
    using S = storage_t<F>;
    using C = compute_t<F>;
    struct no_master {
        using compute_type = C;
    };

    // Sample, label and output checks, forward, loss and gradients of the samples
    // idx(0) .. idx(count - 1): the mean loss, or the first failure (with the sample's index).
    // A sample's loss must be finite, and so must the running sum (nonfinite_output, charged to
    // the sample whose loss made it overflow): an accepted step reports a finite mean.
    template <class Net, class Data, class IndexFn, class Loss, class Grads, class Arch>
    static step_result<C> accumulate(const Net& net, const Data& data, index_t count, IndexFn idx, const Loss& loss,
                                     const Grads& grads, Arch arch) {
        step_result<C> r;
        grads.zero();
        C loss_sum(0);
        for (index_t i = 0; i < count; ++i) {
            const index_t mu = idx(i);
            r.sample = mu;
            const auto x = data.sample(mu);
            if (!guard::scan<F>(x).finite) return failed(r, step_status::nonfinite_input);
            const C y = value_of<F>(data.y[mu]);
            if (!math::isfinite(y)) return failed(r, step_status::nonfinite_label);
            const C yhat = forward(net, x, arch);
            const C dl = loss.deriv(yhat, y);
            const C l = loss.value(yhat, y);
            if (!math::isfinite(yhat) || !math::isfinite(dl) || !math::isfinite(l))
                return failed(r, step_status::nonfinite_output);
            loss_sum += l;  // its overflow is charged to this sample
            if (!math::isfinite(loss_sum)) return failed(r, step_status::nonfinite_output);
            accumulate_gradients(net, x, dl, grads, arch);
        }
        r.sample = 0;
        r.loss = C(loss_sum / C(count));
        return r;
    }

    // One parameter group's update, theta' = decay theta + alpha grad_sum.
    struct param_update {
        bool on;
        C alpha;
        C decay;
    };
    // The update of every group (alpha = -lr / count, decay = 1 - lr wd) and what a weight may
    // become; s: the schedule's factor; nearest: stored values are rounded to nearest (a master
    // copy's always are).
    struct update_plan {
        param_update w, v, hb, ob;
        guard::limits<F> lim;

        template <class Net>
        update_plan(const train_config<C>& config, const Net& net, index_t count, C s, bool nearest = true)
            : w{}, v{}, hb{}, ob{}, lim(config, nearest) {
            const C per_n = config.scaling == lr_scaling::teacher_student ? C(1) / C(net.inputs()) : C(1);
            const C mean = C(1) / C(count);
            const C lr_w = config.lr_w * s, lr_v = config.lr_v * s * per_n, lr_b = config.lr_b * s * per_n;
            w = {config.train_w, -lr_w * mean, C(1) - guard::mul0(lr_w, config.weight_decay_w)};
            v = {config.train_v, -lr_v * mean, C(1) - guard::mul0(lr_v, config.weight_decay_v)};
            hb = {config.train_b && net.head->hidden_bias_on(), -lr_b * mean, C(1)};
            ob = {config.train_b && net.head->output_bias_on(), -lr_b * mean, C(1)};
        }
    };

    // Every updated value within the limits (guard.hpp: guard::check_stored, check_master), read-only,
    // in the order W, v, b, c (the first failure's status); w_max: a bound on |W'| (the master's
    // with a master). The values updated are the master copy's if there is one (Master =
    // master_ref), else the network's. Each step is guard::mul0(alpha, gradient sum): a zero sum
    // gives 0 however large the rate.
    template <class Net, class Master, class Grads>
    static step_status check(const update_plan& u, const Net& net, Master* master, const Grads& grads, C& w_max) {
        const auto t = targets(net, master);
        step_status st = check_group(u.w, t.W, grads.dW.flat(), u.lim, &w_max);
        if (st == step_status::ok) st = check_group(u.v, t.v, grads.dv, u.lim, nullptr);
        if (st == step_status::ok) st = check_group(u.hb, t.b, grads.db, u.lim, nullptr);
        if (st == step_status::ok) st = check_group(u.ob, t.c, vec_view<C, 1>(grads.dc), u.lim, nullptr);
        return st;
    }

    // Writes every group (after check passed) and records the bound on |W'| (w_max from check,
    // which covers every way the arithmetic may round): stored values updated with the rounding
    // policy, or master values updated exactly and then stored to nearest into the network.
    template <class Net, class Master, class Grads, class Rnd>
    static void write(const update_plan& u, const Net& net, Master* master, const Grads& grads, Rnd& rnd, C w_max) {
        const auto t = targets(net, master);
        write_group(u.w, t.W, grads.dW.flat(), rnd, t.W_store);
        write_group(u.v, t.v, grads.dv, rnd, t.v_store);
        write_group(u.hb, t.b, grads.db, rnd, t.b_store);
        write_group(u.ob, t.c, vec_view<C, 1>(grads.dc), rnd, t.c_store);
        if (!u.w.on) return;
        if constexpr (std::is_same<Master, no_master>::value) {
            net.head->set_w_absmax_bound(w_max);
        } else {
            *master->w_absmax_bound = w_max;
            net.head->set_w_absmax_bound(u.lim.master_stored_bound(w_max));
        }
    }

private:
    static step_result<C> failed(step_result<C> r, step_status s) {
        r.status = s;
        return r;
    }

    // No second copy to store into (the update is applied to the stored values themselves).
    struct no_store {};
    // The values an update applies to (W flat, v, b, c), and where they are stored afterwards.
    template <class Vw, class Vv, class Vc, class Sw, class Sv, class Sc>
    struct target_set {
        Vw W;
        Vv v, b;
        Vc c;
        Sw W_store;
        Sv v_store, b_store;
        Sc c_store;
    };
    template <class Net, class Master>
    static auto targets(const Net& net, Master* master) {
        const vec_view<S, 1> c(&net.head->output_bias);
        if constexpr (std::is_same<Master, no_master>::value) {
            using Targets = target_set<decltype(net.W.flat()), decltype(net.v), vec_view<S, 1>, no_store, no_store, no_store>;
            return Targets{net.W.flat(), net.v, net.b, c, {}, {}, {}, {}};
        } else {
            using Targets = target_set<decltype(master->W.flat()), decltype(master->v), vec_view<C, 1>, decltype(net.W.flat()),
                                 decltype(net.v), vec_view<S, 1>>;
            return Targets{master->W.flat(), master->v, master->b, vec_view<C, 1>(master->c), net.W.flat(), net.v, net.b, c};
        }
    }

    // p: stored parameters (Pt = S) or master values (Pt = C). A decay that overflowed is refused
    // (the factor itself is not representable).
    template <class Pt, index_t E1, index_t E2>
    static step_status check_group(const param_update& u, vec_view<Pt, E1> p, vec_view<C, E2> g,
                                   const guard::limits<F>& lim, C* absmax) {
        if (!u.on) return step_status::ok;
        if (!math::isfinite(u.decay)) return step_status::nonfinite_update;
        guard::magnitude<F> acc;
        for (index_t i = 0; i < p.size(); ++i) {
            const C step = guard::mul0(u.alpha, g[i]);
            step_status st;
            if constexpr (std::is_same<Pt, C>::value) {  // a master value (or a float/double weight: the same check)
                st = guard::check_master(lim, p[i], step, u.decay, acc);
            } else {
                st = guard::check_stored(lim, p[i], step, u.decay, acc);
            }
            if (st != step_status::ok) return st;
        }
        if (absmax) *absmax = acc.value();
        return step_status::ok;
    }

    // Stored parameters, updated in place with the rounding policy.
    template <class Rnd, index_t E1, index_t E2>
    static void write_group(const param_update& u, vec_view<S, E1> p, vec_view<C, E2> g, Rnd& rnd, no_store) {
        if (!u.on) return;
        for (index_t i = 0; i < p.size(); ++i) p[i] = apply_update<F>(p[i], guard::mul0(u.alpha, g[i]), u.decay, rnd);
    }
    // Master values, updated exactly, then stored (to nearest) into the network.
    template <class Rnd, index_t E1, index_t E2, index_t E3>
    static void write_group(const param_update& u, vec_view<C, E1> m, vec_view<C, E2> g, Rnd&, vec_view<S, E3> p) {
        if (!u.on) return;
        for (index_t i = 0; i < m.size(); ++i)
            p[i] = store_as<F>(m[i] = updated(m[i], guard::mul0(u.alpha, g[i]), u.decay));
    }
};

// Full-batch GD and mini-batch SGD on networks of format F with N inputs and P hidden units,
// with the gradient storage in the object. net: a network or a network_ref; data: a dataset or
// a dataset_ref of storage_t<F>; master (optional, per call): a master_weights or a master_ref,
// to which every update goes and from which the network is stored. Every step is guarded.
// Before anything else each entry checks, writing nothing when a check fails: that the batch
// and the dataset are not empty (step_status::empty_batch); that the sizes agree (the network's
// N and P are the trainer's, its views agree, the dataset has net.inputs() inputs and one label
// per sample, every listed index is a sample, a master has the network's sizes:
// step_status::size_mismatch; static sizes that disagree do not compile); that every buffer is
// aligned for its element type (step_status::misaligned_buffer).
template <class F, index_t N, index_t P, class Loss = squared_loss, class Rounding = round_nearest>
class gd_trainer {
    using S = storage_t<F>;
    using C = compute_t<F>;
    template <class A>
    using if_arch = std::enable_if_t<std::is_base_of<kernels::scalar, A>::value, int>;
    template <class D>
    using if_data = std::enable_if_t<is_dataset_v<D>, int>;
    template <class M>
    using if_master = std::enable_if_t<is_master_v<M>, int>;
    using no_master = typename batch_step<F>::no_master;

public:
    train_config<C> config{};  // rates, what is trained, decay, scaling, limit, schedule
    Loss loss{};
    Rounding rounding{};

    gd_trainer() = default;
    explicit gd_trainer(const train_config<C>& c, Loss l = Loss{}, Rounding r = Rounding{})
        : config(c), loss(l), rounding(r) {}

    std::uint64_t steps() const { return steps_; }        // accepted steps
    std::uint64_t rejected() const { return rejected_; }  // steps refused by the guard
    // The gradient sums of the last step (also of a refused one, as far as it got).
    const gradients<C, N, P>& last_gradients() const { return grads_; }

    // One GD step on the whole dataset.
    template <class Net, class D, class Arch = arch::default_arch, if_data<D> = 0, if_arch<Arch> = 0>
    step_result<C> full_batch(Net&& net, const D& data, Arch a = {}) {
        return run(net, no_master_ptr(), data, to_ref(data).samples(), all(), a);
    }
    template <class Net, class M, class D, class Arch = arch::default_arch, if_master<M> = 0, if_data<D> = 0,
              if_arch<Arch> = 0>
    step_result<C> full_batch(Net&& net, M&& master, const D& data, Arch a = {}) {
        auto m = detail::master_access::views(master);  // keeps the bound the trainer maintains
        return run(net, &m, data, to_ref(data).samples(), all(), a);
    }

    // One SGD step on samples first, first+1, ... (count of them, wrapping around the end).
    template <class Net, class D, class Arch = arch::default_arch, if_data<D> = 0, if_arch<Arch> = 0>
    step_result<C> minibatch(Net&& net, const D& data, index_t first, index_t count, Arch a = {}) {
        return run(net, no_master_ptr(), data, count, window(first, to_ref(data).samples()), a);
    }
    template <class Net, class M, class D, class Arch = arch::default_arch, if_master<M> = 0, if_data<D> = 0,
              if_arch<Arch> = 0>
    step_result<C> minibatch(Net&& net, M&& master, const D& data, index_t first, index_t count, Arch a = {}) {
        auto m = detail::master_access::views(master);  // keeps the bound the trainer maintains
        return run(net, &m, data, count, window(first, to_ref(data).samples()), a);
    }

    // One SGD step on the given sample indices idx[0 .. count) (any sampling scheme).
    template <class Net, class D, class Arch = arch::default_arch, if_data<D> = 0, if_arch<Arch> = 0>
    step_result<C> on_indices(Net&& net, const D& data, const index_t* idx, index_t count, Arch a = {}) {
        return run(net, no_master_ptr(), data, count, listed(idx), a);
    }
    template <class Net, class M, class D, class Arch = arch::default_arch, if_master<M> = 0, if_data<D> = 0,
              if_arch<Arch> = 0>
    step_result<C> on_indices(Net&& net, M&& master, const D& data, const index_t* idx, index_t count, Arch a = {}) {
        auto m = detail::master_access::views(master);  // keeps the bound the trainer maintains
        return run(net, &m, data, count, listed(idx), a);
    }

private:
    gradients<C, N, P> grads_{};
    std::uint64_t steps_ = 0;
    std::uint64_t rejected_ = 0;

    static no_master* no_master_ptr() { return nullptr; }
    // The batches' sample orders.
    // within(count, m): every index of the batch is below m (the dataset's samples, m >= 1).
    struct all {
        index_t operator()(index_t i) const { return i; }
        bool within(index_t count, index_t m) const { return count <= m; }
    };
    struct window {
        index_t first, m;
        window(index_t f, index_t m_) : first(f), m(m_) {}
        index_t operator()(index_t i) const { return (first + i) % m; }
        bool within(index_t, index_t) const { return true; }
    };
    struct listed {
        const index_t* idx;
        explicit listed(const index_t* i) : idx(i) {}
        index_t operator()(index_t i) const { return idx[i]; }
        bool within(index_t count, index_t m) const {
            for (index_t i = 0; i < count; ++i)
                if (idx[i] >= m) return false;
            return true;
        }
    };

    // The trainer's format and sizes against the network's, the dataset's and the master's: one
    // static_assert that says which does not match (and no cascade of errors after it).
    template <class Net, class D, class M>
    static constexpr bool accepts() {
        constexpr bool same_format = std::is_same<format_of_t<Net>, F>::value;
        static_assert(same_format,
                      "gd_trainer<F, ...>: the network's number format is not the trainer's (train network<F, ...> "
                      "with gd_trainer<F, ...>)");
        using R = ref_of_t<Net>;
        constexpr bool same_size = (R::n_extent == N || R::n_extent == dynamic_extent) &&
                                   (R::p_extent == P || R::p_extent == dynamic_extent);
        static_assert(!same_format || same_size, "gd_trainer<F, N, P>: the network's N or P is not the trainer's");
        using DR = std::decay_t<decltype(to_ref(std::declval<const D&>()))>;
        constexpr bool data_ok = std::is_same<typename DR::value_type, S>::value &&
                                 (DR::n_extent == N || DR::n_extent == dynamic_extent);
        static_assert(!same_format || !same_size || data_ok,
                      "gd_trainer<F, N, ...>: the dataset is not of storage_t<F> with N inputs");
        constexpr bool master_ok = std::is_same<typename M::compute_type, C>::value;
        static_assert(!same_format || !same_size || !data_ok || master_ok,
                      "gd_trainer<F, ...>: the master copy is not in compute_t<F>");
        return same_format && same_size && data_ok && master_ok;
    }

    // One guarded step on the samples idx(0) .. idx(count - 1), in order: settings, samples,
    // forward, loss and gradients (accumulate), the update's plan, check, write.
    template <class Net, class M, class D, class IndexFn, class Arch>
    step_result<C> run(Net&& network_, M* master, const D& data_, index_t count, IndexFn idx, Arch arch) {
        if constexpr (accepts<Net, D, M>()) {
            using step = batch_step<F>;
            const auto& net = to_ref(network_);
            const auto& data = to_ref(data_);
            step_result<C> r;
            if (count == 0 || data.samples() == 0) return counted(failed(r, step_status::empty_batch));
            r.status = layout_status(net, master, data, count, idx);
            if (!r) return counted(r);
            if (!guard::config_ok(config)) return counted(failed(r, step_status::bad_config));
            net.head->forget_lambda_ahead();  // pre-activations of a fused online step: this step moves W
            r = step::accumulate(net, data, count, idx, loss, grads_.ref(), arch);
            if (!r) return counted(r);
            const C s = config.schedule ? config.schedule(steps_, config.schedule_ctx) : C(1);
            if (!guard::rate_ok(s)) return counted(failed(r, step_status::bad_config));
            const typename step::update_plan u(config, net, count, s,
                                               !std::is_same<M, no_master>::value || rounds_to_nearest_v<Rounding>);
            C w_max(0);
            r.status = step::check(u, net, master, grads_.ref(), w_max);
            if (!r) return counted(r);
            step::write(u, net, master, grads_.ref(), rounding, w_max);
            return counted(r);
        } else {
            return {};
        }
    }

    // The sizes agree (the network's with the trainer's and its views with each other, the
    // dataset's with the network and its labels, the indices with the dataset, a master's with
    // the network: else size_mismatch) and every buffer is aligned (else misaligned_buffer).
    // Only sizes, indices and pointer values are read. data.samples() >= 1.
    template <class Ref, class M, class DR, class IndexFn>
    static step_status layout_status(const Ref& net, M* master, const DR& data, index_t count, IndexFn idx) {
        bool sizes = net.sizes_agree() && net.inputs() == N && net.hidden() == P && data.sizes_agree() &&
                     data.inputs() == net.inputs() && idx.within(count, data.samples());
        bool aligned = net.aligned() && data.aligned();
        if constexpr (!std::is_same<M, no_master>::value) {
            sizes = sizes && master->sizes_agree(net);
            aligned = aligned && master->aligned();
        }
        if (!sizes) return step_status::size_mismatch;
        return aligned ? step_status::ok : step_status::misaligned_buffer;
    }

    static step_result<C> failed(step_result<C> r, step_status s) {
        r.status = s;
        return r;
    }
    step_result<C> counted(step_result<C> r) {
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }
};

// Mean loss of net (a network or a network_ref) over data (a dataset or a dataset_ref); no update.
// NaN when the dataset is empty, its sizes disagree with the network's or its own, or a buffer
// is misaligned (forward()'s checks, and one label per sample).
template <class Net, class D, class Loss = squared_loss, class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D>, int> = 0>
compute_t<format_of_t<Net>> mean_loss(Net&& n, const D& d, Loss loss = {}, Arch arch = {}) {
    using F = format_of_t<Net>;
    using C = compute_t<F>;
    const auto& net = to_ref(n);
    const auto& data = to_ref(d);
    if (!data.sizes_agree() || !data.aligned()) return std::numeric_limits<C>::quiet_NaN();
    C s(0);
    for (index_t mu = 0; mu < data.samples(); ++mu)
        s += loss.value(forward(net, data.sample(mu), arch), value_of<F>(data.y[mu]));
    return C(s / C(data.samples()));
}

}  // namespace twolayer
