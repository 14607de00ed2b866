// A network of run-time size on the host: std::vector storage wrapped in the library's
// network_ref with dynamic extents, so the tool runs the very kernels and trainers the device
// runs (the device library has no heap; host code may allocate). Also the master copy of such a
// network (train/master.hpp) in the compute type.
#pragma once
#include <vector>

#include "twolayer/model/network.hpp"
#include "twolayer/train/master.hpp"

namespace twolayer::tool {

/// The dynamic-extent reference type of format F and activation Act.
template <class F, class Act>
using dyn_network_ref = network_ref<F, dynamic_extent, dynamic_extent, Act>;

/// A network of N inputs and P hidden units in format F, no biases, owning its buffers. Not
/// copyable: its references point into it.
template <class F, class Act>
class host_network {
public:
    using S = storage_t<F>;
    using C = compute_t<F>;

    /// W = 0, v = 1; lookahead: keep the copy of the next sample the fused SGD step compares with
    /// (float and double only; other formats ignore it).
    host_network(index_t N, index_t P, bool lookahead)
        : W_(std::size_t(N * P)), v_(std::size_t(P), store_as<F>(C(1))), b_(std::size_t(P)),
          x_ahead_(lookahead && is_native_v<F> ? std::size_t(N) : 0), lambda_(std::size_t(P)), g_(std::size_t(P)),
          delta_(std::size_t(P)), N_(N), P_(P) {}
    host_network(const host_network&) = delete;
    host_network& operator=(const host_network&) = delete;

    /// The network as views (free to make).
    dyn_network_ref<F, Act> ref() {
        const vec_view<S> ahead = x_ahead_.empty() ? vec_view<S>() : vec_view<S>(x_ahead_.data(), N_);
        return {mat_view<S>(W_.data(), P_, N_), vec_view<S>(v_.data(), P_), vec_view<S>(b_.data(), P_),
                vec_view<C>(lambda_.data(), P_),  vec_view<C>(g_.data(), P_), vec_view<C>(delta_.data(), P_),
                &head_,                           ahead};
    }

    /// W (P x N, row-major) and v from double, each value rounded to nearest once.
    void load(const std::vector<double>& W, const std::vector<double>& v) {
        for (std::size_t i = 0; i < W_.size(); ++i) W_[i] = format_traits<F>::from_double(W[i]);
        for (std::size_t k = 0; k < v_.size(); ++k) v_[k] = format_traits<F>::from_double(v[k]);
        head_.weights_changed();
    }
    /// W and v as double (exact: every stored value is a double).
    void store(std::vector<double>& W, std::vector<double>& v) const {
        W.resize(W_.size());
        v.resize(v_.size());
        for (std::size_t i = 0; i < W_.size(); ++i) W[i] = format_traits<F>::to_double(W_[i]);
        for (std::size_t k = 0; k < v_.size(); ++k) v[k] = format_traits<F>::to_double(v_[k]);
    }

    index_t inputs() const { return N_; }
    index_t hidden() const { return P_; }

private:
    std::vector<S> W_, v_, b_, x_ahead_;
    std::vector<C> lambda_, g_, delta_;
    network_head<F> head_;
    index_t N_, P_;
};

/// The master copy of a host_network in its compute type C (train/master.hpp's master_ref).
template <class C>
class host_master {
public:
    host_master(index_t N, index_t P) : W_(std::size_t(N * P)), v_(std::size_t(P)), b_(std::size_t(P)), N_(N), P_(P) {}
    host_master(const host_master&) = delete;
    host_master& operator=(const host_master&) = delete;

    /// The master as views; the trainers keep its bound on |W| valid.
    master_ref<C, dynamic_extent, dynamic_extent> ref() {
        return {mat_view<C>(W_.data(), P_, N_), vec_view<C>(v_.data(), P_), vec_view<C>(b_.data(), P_), &c_, &bound_};
    }
    /// Copies the network's values (call after loading the network); the bound becomes unknown.
    template <class F, class Act>
    void load(const dyn_network_ref<F, Act>& net) {
        for (std::size_t i = 0; i < W_.size(); ++i) W_[i] = value_of<F>(net.W.data()[i]);
        for (index_t k = 0; k < P_; ++k) {
            v_[std::size_t(k)] = value_of<F>(net.v[k]);
            b_[std::size_t(k)] = value_of<F>(net.b[k]);
        }
        c_ = value_of<F>(net.head->output_bias);
        bound_ = C(-1);
    }

private:
    std::vector<C> W_, v_, b_;
    C c_ = C(0), bound_ = C(-1);
    index_t N_, P_;
};

}  // namespace twolayer::tool
