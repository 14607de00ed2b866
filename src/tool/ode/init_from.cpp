#include "init_from.hpp"

#include "../npy/npy.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool::ode {

initial_weights read_initial_weights(const std::string& dir) {
    const std::string opt = "--init-from";
    const npy::array W = npy::read_expect(dir + "/W.npy", opt, {-1, -1});
    const long P = long(W.shape[0]), N = long(W.shape[1]);
    if (P < 1 || N < 1) throw usage_error(opt, dir + "/W.npy", "W has no units or no inputs (shape " + npy::shape_string(W.shape) + ")");
    const npy::array W_star = npy::read_expect(dir + "/W_star.npy", opt, {-1, N});
    const long P_star = long(W_star.shape[0]);
    if (P_star < 1) throw usage_error(opt, dir + "/W_star.npy", "the teacher has no units");
    const npy::array v = npy::read_expect(dir + "/v.npy", opt, {P});
    const npy::array v_star = npy::read_expect(dir + "/v_star.npy", opt, {P_star});
    initial_weights w;
    w.N = N;
    w.P = P;
    w.P_star = P_star;
    w.W = W.values;
    w.v = v.values;
    w.W_star = W_star.values;
    w.v_star = v_star.values;
    return w;
}

void check_sizes_agree(const initial_weights& w, const model_options& m, bool given_N, bool given_P, bool given_P_star) {
    const auto refuse = [](const char* option, long value, const char* file, long size) {
        throw usage_error(option, std::to_string(value),
                          std::string("contradicts --init-from: ") + file + " has " + std::to_string(size));
    };
    if (given_N && m.N != w.N) refuse("--N", m.N, "W.npy", w.N);
    if (given_P && m.P != w.P) refuse("--P", m.P, "W.npy", w.P);
    if (given_P_star && m.P_star != w.P_star) refuse("--P-star", m.P_star, "W_star.npy", w.P_star);
}

}  // namespace twolayer::tool::ode
