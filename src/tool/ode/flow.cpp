#include "flow.hpp"

namespace twolayer::tool::ode {

rates combine(const flow_terms& f, const order_state& s, const ode_params& p) {
    const double dw = 1 - p.eta * p.weight_decay;
    const double dv = 1 - p.eta_v * p.weight_decay / p.N;
    rates r;
    r.dQ = p.N * (dw * dw - 1) * s.Q + dw * f.drift_Q;
    if (!p.drift_only) r.dQ = r.dQ + f.second_Q;
    r.dR = p.N * (dw - 1) * s.R + dw * f.drift_R;
    if (p.train_v) {
        r.dv.resize(s.v.size());
        for (std::size_t i = 0; i < s.v.size(); ++i) r.dv[i] = -p.eta_v * p.weight_decay * s.v[i] + dv * f.drift_v[i];
    }
    return r;
}

rates flow_rates(flow_kind kind, const order_state& s, const ode_params& p) {
    return combine(kind == flow_kind::erf ? erf_terms(s, p) : quadratic_terms(s, p), s, p);
}

}  // namespace twolayer::tool::ode
