#include "operator.hpp"

#include <stdexcept>

#include "../sim/host_network.hpp"

namespace twolayer::tool::hessian {

namespace {

// The product for activation Act: the student as a double host_network, the dataset and the
// workspace as dynamic-extent views over vectors.
template <class Act>
struct body_of final : empirical_hessian::body {
    host_network<double, Act> net;
    dataset_ref<double, dynamic_extent, dynamic_extent> data;
    std::vector<double> scratch;  // z, g, d1, d2, t, e: P values each
    hessian_blocks blocks;
    index_t flat;

    body_of(const instance& in, hessian_blocks b)
        : net(in.w.N, in.w.P, false),
          data(mat_view<const double>(in.X.data(), in.M, in.w.N), vec_view<const double>(in.y.data(), in.M)),
          scratch(std::size_t(6 * in.w.P)), blocks(b), flat(in.w.P * in.w.N + in.w.P) {
        net.load(in.w.W, in.w.v);
    }
    analysis_status product(const double* in, double* out) override {
        const index_t p = net.hidden();
        double* s = scratch.data();
        const auto part = [&](int i) { return vec_view<double>(s + i * p, p); };
        hvp_workspace_ref<double, dynamic_extent, dynamic_extent> ws(part(0), part(1), part(2), part(3), part(4),
                                                                     part(5), vec_view<double>());
        return hessian_vector_product(net.ref(), data, vec_view<const double>(in, flat), vec_view<double>(out, flat),
                                      ws, blocks, squared_loss{})
            .status;
    }
};

}  // namespace

empirical_hessian::empirical_hessian(const instance& in, activation_id act, hessian_blocks blocks)
    : body_(with_activation(act, [&](auto a) -> std::unique_ptr<body> {
          return std::make_unique<body_of<decltype(a)>>(in, blocks);
      })) {
    const parameter_layout L{index_t(in.w.N), index_t(in.w.P), false, false};
    for (index_t i = 0; i < L.size(); ++i)
        if (L.active(i, blocks)) active_.push_back(i);
    in_.assign(std::size_t(L.size()), 0.0);
    out_.assign(std::size_t(L.size()), 0.0);
}

empirical_hessian::~empirical_hessian() = default;

void empirical_hessian::operator()(vec_view<const double> in, vec_view<double> out) {
    for (std::size_t i = 0; i < active_.size(); ++i) in_[std::size_t(active_[i])] = in[index_t(i)];
    if (body_->product(in_.data(), out_.data()) != analysis_status::ok)
        throw std::logic_error("twolayer hessian: the library refused the Hessian-vector product (sizes)");
    for (std::size_t i = 0; i < active_.size(); ++i) out[index_t(i)] = out_[std::size_t(active_[i])];
}

}  // namespace twolayer::tool::hessian
