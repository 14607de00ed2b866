#include "problem.hpp"

#include "../usage_error.hpp"

namespace twolayer::tool::ode {

order_state order_state_of(const initial_weights& w) {
    const order_parameter_values o = order_parameters_of(w);
    order_state s;
    s.Q = matrix(o.P, o.P, o.Q);
    s.R = matrix(o.P, o.P_star, o.R);
    s.T = matrix(o.P_star, o.P_star, o.T);
    s.v = w.v;
    s.v_star = w.v_star;
    return s;
}

ode_params params_of(const model_options& m, const training_options& t, bool drift_only) {
    ode_params p;
    p.eta = t.lr;
    p.eta_v = t.lr_v;
    p.sigma = t.noise;
    p.weight_decay = t.weight_decay;
    p.N = double(m.N);
    p.train_v = m.train_v;
    p.drift_only = drift_only;
    return p;
}

void check_activations(const model_options& m) {
    if (m.act != activation_id::erf && m.act != activation_id::quadratic)
        throw usage_error("--act", activation_name(m.act), "the ODEs are integrated for erf and quadratic only");
    if (m.teacher_act != m.act)
        throw usage_error("--teacher-act", activation_name(m.teacher_act),
                          std::string("the ODEs need the teacher's activation equal to the student's (--act ") +
                              activation_name(m.act) + ")");
}

ode_problem problem_from_options(const model_options& m, const training_options& t, bool drift_only, long chain) {
    check_activations(m);
    return problem_from_weights(draw_initial_weights(m, chain), m, t, drift_only);
}

ode_problem problem_from_weights(const initial_weights& w, model_options m, const training_options& t, bool drift_only) {
    check_activations(m);
    m.N = w.N;
    m.P = w.P;
    m.P_star = w.P_star;
    ode_problem p;
    p.kind = m.act == activation_id::erf ? flow_kind::erf : flow_kind::quadratic;
    p.params = params_of(m, t, drift_only);
    p.initial = order_state_of(w);
    return p;
}

}  // namespace twolayer::tool::ode
