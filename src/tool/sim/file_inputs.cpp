#include "file_inputs.hpp"

#include "../npy/npy.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {

namespace {

// The largest N and P* the options accept (common_options.cpp).
constexpr std::size_t max_size = 10000;

void check_extent(std::size_t n, std::size_t max, const std::string& option, const std::string& path,
                  const std::string& what) {
    if (n < 1 || n > max)
        throw usage_error(option, path, what + " " + std::to_string(n) + " out of range (1 .. " + std::to_string(max) + ")");
}

void read_data(train_settings& s, file_inputs& in) {
    const train_files& f = s.files;
    if (f.labels.empty()) throw usage_error("--data", f.data, "needs --labels y.npy (one label per row)");
    if (f.data.empty()) throw usage_error("--labels", f.labels, "needs --data X.npy (the inputs they label)");
    npy::array X = npy::read_expect(f.data, "--data", {-1, s.given.N ? s.model.N : -1});
    const std::size_t M = X.shape[0], N = X.shape[1];
    if (M == 0) throw usage_error("--data", f.data, "no samples (shape " + npy::shape_string(X.shape) + ")");
    check_extent(N, max_size, "--data", f.data, "N =");
    npy::array y = npy::read_expect(f.labels, "--labels", {long(M)});
    if (s.given.samples && std::size_t(s.samples) != M)
        throw usage_error("--samples", std::to_string(s.samples), "--data " + f.data + " holds " + std::to_string(M) + " samples");
    s.model.N = long(N);
    s.samples = long(M);
    in.X = std::move(X.values);
    in.y = std::move(y.values);
}

void read_teacher(train_settings& s, file_inputs& in) {
    const std::string& dir = s.files.teacher;
    const std::string w = dir + "/W_star.npy", v = dir + "/v_star.npy";
    const bool N_fixed = s.given.N || !s.files.data.empty();
    npy::array W = npy::read_expect(w, "--teacher", {s.given.P_star ? s.model.P_star : -1, N_fixed ? s.model.N : -1});
    check_extent(W.shape[0], max_size, "--teacher", w, "P* =");
    check_extent(W.shape[1], max_size, "--teacher", w, "N =");
    npy::array vs = npy::read_expect(v, "--teacher", {long(W.shape[0])});
    s.model.P_star = long(W.shape[0]);
    s.model.N = long(W.shape[1]);
    in.W_star = std::move(W.values);
    in.v_star = std::move(vs.values);
}

}  // namespace

std::shared_ptr<const file_inputs> read_file_inputs(train_settings& s) {
    if (s.files.data.empty() && s.files.labels.empty() && s.files.teacher.empty()) return nullptr;
    auto in = std::make_shared<file_inputs>();
    if (!s.files.data.empty() || !s.files.labels.empty()) read_data(s, *in);
    if (!s.files.teacher.empty()) read_teacher(s, *in);
    return in;
}

}  // namespace twolayer::tool
