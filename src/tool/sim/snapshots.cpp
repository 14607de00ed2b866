#include "snapshots.hpp"

#include <filesystem>
#include <system_error>

#include "../npy/npy.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {

void make_output_dir(const std::string& dir, const std::string& option) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) throw usage_error(option, dir, "cannot create the directory");
}

std::string chain_dir(const std::string& dir, long job, const std::string& option) {
    const std::string d = dir + "/chain_" + std::to_string(job);
    make_output_dir(d, option);
    return d;
}

void save_weights(const std::string& dir, const initial_weights& w) {
    using sz = std::size_t;
    const auto f64 = npy::dtype::float64;
    npy::write_file(dir + "/W.npy", {sz(w.P), sz(w.N)}, w.W.data(), f64, "--save-weights");
    npy::write_file(dir + "/v.npy", {sz(w.P)}, w.v.data(), f64, "--save-weights");
    npy::write_file(dir + "/W_star.npy", {sz(w.P_star), sz(w.N)}, w.W_star.data(), f64, "--save-weights");
    npy::write_file(dir + "/v_star.npy", {sz(w.P_star)}, w.v_star.data(), f64, "--save-weights");
}

void order_snapshots::add(double t, const initial_weights& w) {
    const order_parameter_values o = order_parameters_of(w);
    P_ = o.P;
    P_star_ = o.P_star;
    t_.push_back(t);
    Q_.insert(Q_.end(), o.Q.begin(), o.Q.end());
    R_.insert(R_.end(), o.R.begin(), o.R.end());
    T_.insert(T_.end(), o.T.begin(), o.T.end());
}

void order_snapshots::write(const std::string& dir) const {
    using sz = std::size_t;
    const auto f64 = npy::dtype::float64;
    const sz n = t_.size();
    npy::write_file(dir + "/t.npy", {n}, t_.data(), f64, "--save-order");
    npy::write_file(dir + "/Q.npy", {n, sz(P_), sz(P_)}, Q_.data(), f64, "--save-order");
    npy::write_file(dir + "/R.npy", {n, sz(P_), sz(P_star_)}, R_.data(), f64, "--save-order");
    npy::write_file(dir + "/T.npy", {n, sz(P_star_), sz(P_star_)}, T_.data(), f64, "--save-order");
}

}  // namespace twolayer::tool
