// Lanczos for a symmetric operator in fixed storage: the extreme eigenpairs of a matrix known only
// through its products (the Hessian of analysis/hvp.hpp), in double, without heap.
//
// m steps build an orthonormal basis Q = [q_0 .. q_{m-1}] of the Krylov space of the start vector
// and the tridiagonal T = Q^T A Q (alpha on the diagonal, beta beside it):
//   w = A q_j;  w -= Q_j (Q_j^T w) twice (classical Gram-Schmidt against every q_0 .. q_j, the
//   second pass removing what the first left through rounding: full reorthogonalization, so the
//   q stay orthonormal to working precision and no spurious copies of converged eigenvalues
//   appear);  alpha_j = the coefficient of q_j;  beta_j = |w|;  q_{j+1} = w / beta_j.
// The eigenpairs (theta_i, s_i) of T, by an implicit QR iteration with Wilkinson shifts
// (tridiagonal_eigen below), give Ritz pairs (theta_i, y_i = Q s_i) with
//   |A y_i - theta_i y_i| = |beta_{m-1}| |s_i[m-1]|    (the residual bound, per pair),
// so an eigenvalue of A lies within that distance of theta_i (A symmetric). A beta_j that falls
// to rounding level means the Krylov space is invariant: the run stops there and its Ritz values
// are eigenvalues of A (up to the residual bound, still reported).
// Cost: m operator products plus about 4 m^2 n flops of reorthogonalization and O(m^2) per QR
// sweep; storage MaxSteps (MaxN + MaxSteps + 4) + MaxN doubles and MaxSteps indices in the object.
#pragma once
#include <cfloat>
#include <cstdint>

#include "twolayer/core/math.hpp"
#include "twolayer/core/philox.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/core/view.hpp"

namespace twolayer {

// How a Lanczos run ended.
//   ok: the steps asked for were made, or the Krylov space became invariant (lanczos::invariant()).
//   bad_size: n is 0 or above MaxN, or no step was asked for.
//   bad_start: the start vector is 0 or not finite.
//   nonfinite: the operator returned a value that is not finite (the steps before it are kept).
//   no_convergence: the tridiagonal eigenproblem did not converge (30 m QR sweeps).
enum class lanczos_status : std::uint8_t { ok, bad_size, bad_start, nonfinite, no_convergence };

// A Ritz pair's value and residual bound; index is its position in ascending order of the values
// (what lanczos::ritz_vector takes).
struct ritz_pair {
    double value = 0;
    double residual_bound = 0;
    index_t index = 0;
};

// The deterministic start vector: every entry uniform in [-1, 1) from the Philox stream
// (seed, stream 0), the same bits on every target.
template <index_t E>
void lanczos_start_vector(vec_view<double, E> out, std::uint64_t seed) {
    philox4x32 rng(seed, 0);
    for (index_t i = 0; i < out.size(); ++i) out[i] = 2.0 * rng.uniform01() - 1.0;
}

namespace detail {
// sqrt(a^2 + b^2) without overflow or underflow of the squares.
inline double hypot2(double a, double b) {
    a = math::abs(a);
    b = math::abs(b);
    const double big = a > b ? a : b, small = a > b ? b : a;
    if (big == 0.0) return 0.0;
    const double r = small / big;
    return big * math::sqrt(1.0 + r * r);
}
// Whether the off-diagonal e between diagonal entries a and b is negligible.
inline bool negligible(double e, double a, double b) {
    return math::abs(e) <= DBL_EPSILON * (math::abs(a) + math::abs(b)) || math::abs(e) < DBL_MIN;
}
}  // namespace detail

// The eigen-decomposition of the symmetric tridiagonal matrix with diagonal d (m values) and
// off-diagonal e (e[i] couples i and i + 1; e[m - 1] is not read): on return d holds the
// eigenvalues (unordered), e is destroyed, and column i of z (m x m, row-major) is the unit
// eigenvector of d[i]. Implicit symmetric QR: on the lowest unreduced block [l, h], a Wilkinson
// shift mu from its trailing 2 x 2, a Givens rotation of rows l, l+1 zeroing the second entry of
// (T - mu I)'s first column, and rotations that chase the bulge it creates down to h, each
// accumulated into z; an off-diagonal below eps (|d_i| + |d_i+1|) splits the block. Returns false
// when 30 m sweeps did not converge.
template <index_t E1, index_t E2, index_t R, index_t K>
bool tridiagonal_eigen(vec_view<double, E1> d, vec_view<double, E2> e, mat_view<double, R, K> z) {
    const index_t m = d.size();
    for (index_t i = 0; i < m; ++i)
        for (index_t j = 0; j < m; ++j) z(i, j) = i == j ? 1.0 : 0.0;
    if (m <= 1) return true;
    const index_t max_sweeps = 30 * m;
    index_t sweeps = 0;
    index_t h = m - 1;
    while (h > 0) {
        if (detail::negligible(e[h - 1], d[h - 1], d[h])) {  // d[h] has converged
            e[h - 1] = 0.0;
            --h;
            continue;
        }
        index_t l = h - 1;  // the top of the unreduced block ending at h
        while (l > 0 && !detail::negligible(e[l - 1], d[l - 1], d[l])) --l;
        if (l > 0) e[l - 1] = 0.0;
        if (++sweeps > max_sweeps) return false;
        // The eigenvalue of the trailing 2 x 2 nearer its last diagonal entry.
        const double delta = 0.5 * (d[h - 1] - d[h]), eh = e[h - 1];
        const double den = delta + (delta >= 0.0 ? 1.0 : -1.0) * detail::hypot2(delta, eh);
        const double mu = d[h] - eh * (eh / den);  // den != 0: eh is not negligible
        double x = d[l] - mu, y = e[l];
        for (index_t k = l; k < h; ++k) {
            // R = [c s; -s c] on rows k, k+1 maps (x, y) to (r, 0); T <- R T R^T.
            const double r = detail::hypot2(x, y);
            const double c = r == 0.0 ? 1.0 : x / r, s = r == 0.0 ? 0.0 : y / r;
            if (k > l) e[k - 1] = r;  // the bulge at (k-1, k+1) folded into (k-1, k)
            const double a = d[k], b = e[k], dd = d[k + 1];
            const double cs = c * s, cc = c * c, ss = s * s;
            d[k] = cc * a + 2.0 * cs * b + ss * dd;
            d[k + 1] = ss * a - 2.0 * cs * b + cc * dd;
            e[k] = cs * (dd - a) + (cc - ss) * b;
            if (k + 1 < h) {  // the new bulge at (k, k+2), and what is left at (k+1, k+2)
                y = s * e[k + 1];
                e[k + 1] = c * e[k + 1];
                x = e[k];
            }
            for (index_t i = 0; i < m; ++i) {  // z <- z R^T
                const double zk = z(i, k), zk1 = z(i, k + 1);
                z(i, k) = c * zk + s * zk1;
                z(i, k + 1) = c * zk1 - s * zk;
            }
        }
    }
    return true;
}

// Lanczos with full reorthogonalization for symmetric operators of dimension up to MaxN, at most
// MaxSteps steps, every vector inside the object (no heap). An operator is any callable
// op(vec_view<const double> in, vec_view<double> out) setting out = A in (n values each; e.g.
// hessian_operator, analysis/hvp.hpp). After run: the Ritz values in ascending order, the k
// smallest and k largest with their residual bounds, and their Ritz vectors.
template <index_t MaxN, index_t MaxSteps>
class lanczos {
    static_assert(MaxN >= 1 && MaxSteps >= 1, "twolayer::lanczos<MaxN, MaxSteps>: both must be at least 1");

public:
    static constexpr index_t max_dimension() { return MaxN; }
    static constexpr index_t max_steps() { return MaxSteps; }

    // min(steps, MaxSteps, n) steps on op of dimension n from the deterministic start vector
    // (lanczos_start_vector with seed).
    template <class Op>
    lanczos_status run(Op&& op, index_t n, index_t steps, std::uint64_t seed = 0) {
        if (n == 0 || n > MaxN) return finish(lanczos_status::bad_size);
        vec_view<double> start(w_.data, n);
        lanczos_start_vector(start, seed);
        return run_from(op, vec_view<const double>(start), steps);
    }

    // The same from the given start vector (n = start.size() values; it may be w's storage).
    template <class Op, index_t E>
    lanczos_status run_from(Op&& op, vec_view<const double, E> start, index_t steps) {
        n_ = start.size();
        m_ = 0;
        invariant_ = false;
        if (n_ == 0 || n_ > MaxN || steps == 0) return finish(lanczos_status::bad_size);
        if (steps > MaxSteps) steps = MaxSteps;
        if (steps > n_) steps = n_;
        double norm = 0;
        for (index_t i = 0; i < n_; ++i) norm += start[i] * start[i];
        norm = math::sqrt(norm);
        if (!math::isfinite(norm) || norm == 0.0) return finish(lanczos_status::bad_start);
        for (index_t i = 0; i < n_; ++i) q(0)[i] = start[i] / norm;
        double scale = 0;  // a running estimate of |T|, for the invariance test
        for (index_t j = 0; j < steps; ++j) {
            op(vec_view<const double>(q(j), n_), vec_view<double>(w_.data, n_));
            for (index_t i = 0; i < n_; ++i)
                if (!math::isfinite(w_[i])) return finish(lanczos_status::nonfinite);
            double a = 0;
            for (int pass = 0; pass < 2; ++pass) {  // classical Gram-Schmidt, twice
                for (index_t i = 0; i <= j; ++i) h_[i] = dot(q(i), w_.data);
                for (index_t i = 0; i <= j; ++i) {
                    const double* qi = q(i);
                    for (index_t r = 0; r < n_; ++r) w_[r] -= h_[i] * qi[r];
                }
                a += h_[j];
            }
            const double b = math::sqrt(dot(w_.data, w_.data));
            alpha_[j] = a;
            beta_[j] = b;
            m_ = j + 1;
            const double row = math::abs(a) + b + (j > 0 ? beta_[j - 1] : 0.0);
            if (row > scale) scale = row;
            if (b <= 8.0 * DBL_EPSILON * double(n_) * scale) {  // rounding level: A maps span(Q) into itself
                invariant_ = true;
                break;
            }
            if (m_ == steps) break;
            for (index_t i = 0; i < n_; ++i) q(m_)[i] = w_[i] / b;
        }
        return finish(solve() ? lanczos_status::ok : lanczos_status::no_convergence);
    }

    // The last run's status (ok, with steps() == 0, before the first run).
    lanczos_status status() const { return status_; }
    index_t dimension() const { return n_; }  // n
    index_t steps() const { return m_; }      // m, the Krylov space's dimension (the number of Ritz pairs)
    bool invariant() const { return invariant_; }
    // T's entries: alpha(j) on the diagonal, beta(j) = |w| after step j (beta(m-1) enters the
    // residual bounds).
    double alpha(index_t j) const { return alpha_[j]; }
    double beta(index_t j) const { return beta_[j]; }

    // The Ritz pair at position i in ascending order of the values (i < steps()).
    ritz_pair pair(index_t i) const {
        const index_t col = order_[i];
        return {theta_[col], math::abs(beta_[m_ - 1] * z_(m_ - 1, col)), i};
    }
    // The i-th smallest and the i-th largest (i = 0: the extreme one; i < steps()).
    ritz_pair smallest(index_t i) const { return pair(i); }
    ritz_pair largest(index_t i) const { return pair(m_ - 1 - i); }
    // out = y = Q s, the unit Ritz vector of p (n values).
    template <index_t E>
    void ritz_vector(const ritz_pair& p, vec_view<double, E> out) const {
        const index_t col = order_[p.index];
        for (index_t r = 0; r < n_; ++r) out[r] = 0.0;
        for (index_t j = 0; j < m_; ++j) {
            const double c = z_(j, col);
            const double* qj = q(j);
            for (index_t r = 0; r < n_; ++r) out[r] += c * qj[r];
        }
    }

private:
    mat<double, MaxSteps, MaxN> Q_{};  // row j = q_j
    vec<double, MaxN> w_{};
    vec<double, MaxSteps> alpha_{}, beta_{}, theta_{}, h_{};
    mat<double, MaxSteps, MaxSteps> zbuf_{};  // T's eigenvectors, m x m row-major at the start
    index_t order_[MaxSteps] = {};
    index_t n_ = 0, m_ = 0;
    bool invariant_ = false;
    lanczos_status status_ = lanczos_status::ok;  // every member starts at zero: a static lanczos is .bss

    double* q(index_t j) { return Q_.data + j * MaxN; }
    const double* q(index_t j) const { return Q_.data + j * MaxN; }
    mat_view<double> z_view() { return mat_view<double>(zbuf_.data, m_, m_); }
    double z_(index_t i, index_t j) const { return zbuf_.data[i * m_ + j]; }
    double dot(const double* a, const double* b) const {
        double s = 0;
        for (index_t i = 0; i < n_; ++i) s += a[i] * b[i];
        return s;
    }
    lanczos_status finish(lanczos_status s) {
        status_ = s;
        if (s != lanczos_status::ok && s != lanczos_status::no_convergence) {
            // keep the steps made before a non-finite product; nothing else to solve
            if (s != lanczos_status::nonfinite) m_ = 0;
            if (m_ > 0 && !solve()) status_ = lanczos_status::no_convergence;
        }
        return status_;
    }
    // T's eigenpairs into theta_ and zbuf_, and order_ ascending.
    bool solve() {
        vec_view<double> d(theta_.data, m_), e(h_.data, m_);
        for (index_t j = 0; j < m_; ++j) {
            d[j] = alpha_[j];
            e[j] = beta_[j];
        }
        const bool ok = tridiagonal_eigen(d, e, z_view());
        for (index_t i = 0; i < m_; ++i) order_[i] = i;
        for (index_t i = 1; i < m_; ++i) {  // insertion sort of the order by value
            const index_t o = order_[i];
            index_t j = i;
            while (j > 0 && theta_[order_[j - 1]] > theta_[o]) {
                order_[j] = order_[j - 1];
                --j;
            }
            order_[j] = o;
        }
        return ok;
    }
};

}  // namespace twolayer
