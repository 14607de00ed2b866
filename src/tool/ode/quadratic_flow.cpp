// The quadratic ODEs (g(x) = x^2), derived by Gaussian integration by parts. With A = diag(v),
// A* = diag(v*), C = 2A, Delta = yhat - y* (no noise), S = R A* R^T:
//   E[Delta]   = tr(A Q) - tr(A* T)
//   E[Delta^2] = E[Delta]^2 + 2 [ tr(AQAQ) - 2 tr(A R A* R^T) + tr(A* T A* T) ]
//   X = E[lambda lambda^T Delta] = E[Delta] Q + 2 Q A Q - 2 S
//   drift_R = -eta C [ E[Delta] R + 2 Q A R - 2 R A* T ]
//   drift_Q = -eta (C X + X C)
//   Y = E[lambda lambda^T (Delta - sigma xi)^2]
//     = (E[Delta^2] + sigma^2) Q + 8 [ QAQAQ - QAS - SAQ + R A* T A* R^T ] + 4 E[Delta] (QAQ - S)
//   second_Q = eta^2 C Y C
//   drift_v_i = -eta_v X_ii
// (the library's step is w_i -= (eta / sqrt N) 2 v_i lambda_i (yhat - y) x, whose expectation
// these are, times N).
#include "flow.hpp"

namespace twolayer::tool::ode {

quadratic_moments quadratic_error_moments(const order_state& s) {
    const matrix A = diagonal(s.v), As = diagonal(s.v_star);
    const matrix AQ = A * s.Q, AsT = As * s.T;
    const double mean = trace(AQ) - trace(AsT);
    const double var = 2 * (trace(AQ * AQ) - 2 * trace(A * s.R * As * transpose(s.R)) + trace(AsT * AsT));
    return {mean, mean * mean + var};
}

flow_terms quadratic_terms(const order_state& s, const ode_params& p) {
    const matrix A = diagonal(s.v), As = diagonal(s.v_star), C = 2.0 * A;
    const matrix& Q = s.Q;
    const matrix& R = s.R;
    const matrix Rt = transpose(R);
    const quadratic_moments m = quadratic_error_moments(s);
    const matrix S = R * As * Rt;
    const matrix QA = Q * A;
    const matrix X = m.mean * Q + 2.0 * (QA * Q) - 2.0 * S;
    flow_terms f;
    f.drift_R = -p.eta * (C * (m.mean * R + 2.0 * (QA * R) - 2.0 * (R * As * s.T)));
    f.drift_Q = -p.eta * (C * X + X * C);
    if (p.drift_only) {
        f.second_Q = matrix(Q.rows, Q.cols);
    } else {
        const matrix QAQ = QA * Q;
        const matrix inner = QAQ * A * Q - QA * S - S * A * Q + R * As * s.T * As * Rt;
        const matrix Y = (m.second + p.sigma * p.sigma) * Q + 8.0 * inner + 4.0 * m.mean * (QAQ - S);
        f.second_Q = p.eta * p.eta * (C * Y * C);
    }
    f.drift_v.resize(s.v.size());
    for (long i = 0; i < Q.rows; ++i) f.drift_v[std::size_t(i)] = -p.eta_v * X(i, i);
    return f;
}

}  // namespace twolayer::tool::ode
