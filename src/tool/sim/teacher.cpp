#include "teacher.hpp"

#include "host_network.hpp"

namespace twolayer::tool {

namespace {

// The teacher with activation Act: a double host_network.
template <class Act>
struct teacher_of final : teacher_network::body {
    host_network<double, Act> net;
    explicit teacher_of(const initial_weights& w) : net(w.N, w.P_star, false) { net.load(w.W_star, w.v_star); }
    double output(const double* x) override { return forward(net.ref(), vec_view<const double>(x, net.inputs())); }
};

}  // namespace

teacher_network::teacher_network(const initial_weights& w, activation_id act)
    : body_(with_activation(act, [&](auto a) -> std::unique_ptr<body> {
          return std::make_unique<teacher_of<decltype(a)>>(w);
      })) {}

teacher_network::~teacher_network() = default;

double teacher_network::output(const double* x) { return body_->output(x); }

}  // namespace twolayer::tool
