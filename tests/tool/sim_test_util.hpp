// Helpers of the sim tests: small settings, and the library's static-size networks loaded with a
// chain's initial weights, for hand-written reference loops.
#pragma once
#include <cstring>
#include <vector>

#include "tool/sim/chain.hpp"
#include "tool/sim/initial_weights.hpp"
#include "tool/sim/settings.hpp"
#include "twolayer/model/convert.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/config.hpp"

namespace tl_sim_test {

using namespace twolayer;
using namespace twolayer::tool;

/// Settings of a small run: N, P, P* and the format; erf, the default rates, 10 reports.
inline train_settings small_settings(long N, long P, long P_star, const std::string& format) {
    train_settings s;
    s.model.N = N;
    s.model.P = P;
    s.model.P_star = P_star;
    s.model.seed = 7;
    s.model.init_scale = 0.5;
    s.training.lr = 0.5;
    s.training.lr_v = 0.5;
    s.training.t_max = 10;
    s.format = format;
    s.reports = 10;
    s.test_samples = 500;
    return s;
}

/// The trainer settings written out by hand (not through the tool's config_of).
template <class C>
train_config<C> reference_config(const train_settings& s) {
    train_config<C> c;
    c.lr_w = C(s.training.lr);
    c.lr_v = C(s.training.lr_v);
    c.train_v = s.model.train_v;
    c.train_b = false;
    c.weight_decay_w = C(s.training.weight_decay);
    c.weight_decay_v = C(s.training.weight_decay);
    return c;
}

/// Loads W (P x N) and v of net (a network of format F) from double, rounded to nearest.
template <class Net>
void load(Net& net, const std::vector<double>& W, const std::vector<double>& v) {
    using F = format_of_t<Net>;
    auto Wm = net.W_mut();
    for (index_t i = 0; i < Wm.size(); ++i) Wm.data()[i] = convert_value<F>(W[i]);
    for (index_t k = 0; k < net.v_mut().size(); ++k) net.v_mut()[k] = convert_value<F>(v[k]);
}

/// W and v of net as double.
template <class Net>
void weights_of(const Net& net, std::vector<double>& W, std::vector<double>& v) {
    using F = format_of_t<Net>;
    W.clear();
    v.clear();
    for (index_t i = 0; i < net.W().size(); ++i) W.push_back(format_traits<F>::to_double(net.W().data()[i]));
    for (index_t k = 0; k < net.v().size(); ++k) v.push_back(format_traits<F>::to_double(net.v()[k]));
}

/// Whether two double vectors hold the same bits.
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// A chain of settings s as the tool makes it, with the inputs it keeps referring to.
struct chain_under_test {
    initial_weights start;
    teacher_network teacher;
    std::unique_ptr<chain> c;
    chain_under_test(const train_settings& s, long job)
        : start(draw_initial_weights(s.model, job)), teacher(start, s.model.teacher_act),
          c(make_chain({s, job, start, teacher})) {}
};

}  // namespace tl_sim_test
