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
// sweep; storage MaxSteps (MaxN + MaxSteps + 4) + MaxN doubles and MaxSteps indices, in the object
// (lanczos<MaxN, MaxSteps>) or in buffers the caller gives (lanczos_ref, for run-time sizes).
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
            if (k + 1 < h) {  // the next bulge at (k, k+2), and what is left at (k+1, k+2)
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

namespace detail {
// Where a Lanczos run keeps its vectors: Q (max_steps rows of stride doubles, row j = q_j,
// stride >= max_n), w (max_n), alpha, beta, theta, h (max_steps each), T's eigenvectors z
// (max_steps^2) and the order of the Ritz values (max_steps). lanczos keeps them in the object,
// lanczos_ref in the caller's buffers.
struct lanczos_buffers {
    double* Q;
    index_t stride;
    double *w, *alpha, *beta, *theta, *h, *z;
    index_t* order;
    index_t max_n, max_steps;
};

// The algorithm of lanczos and lanczos_ref, over the buffers Derived::buffers() gives (the
// storage lives in the derived class, so a static lanczos is still all zero bytes: .bss).
template <class Derived>
class lanczos_engine {
public:
    // min(steps, the capacity's steps, n) steps on op of dimension n from the deterministic start
    // vector (lanczos_start_vector with seed).
    template <class Op>
    lanczos_status run(Op&& op, index_t n, index_t steps, std::uint64_t seed = 0) {
        const lanczos_buffers B = buf();
        if (n == 0 || n > B.max_n) return finish(lanczos_status::bad_size);
        vec_view<double> start(B.w, n);
        lanczos_start_vector(start, seed);
        return run_from(op, vec_view<const double>(start), steps);
    }

    // The same from the given start vector (n = start.size() values; it may be w's storage).
    template <class Op, index_t E>
    lanczos_status run_from(Op&& op, vec_view<const double, E> start, index_t steps) {
        const lanczos_buffers B = buf();
        n_ = start.size();
        m_ = 0;
        invariant_ = false;
        if (n_ == 0 || n_ > B.max_n || steps == 0) return finish(lanczos_status::bad_size);
        if (steps > B.max_steps) steps = B.max_steps;
        if (steps > n_) steps = n_;
        double norm = 0;
        for (index_t i = 0; i < n_; ++i) norm += start[i] * start[i];
        norm = math::sqrt(norm);
        if (!math::isfinite(norm) || norm == 0.0) return finish(lanczos_status::bad_start);
        for (index_t i = 0; i < n_; ++i) q(0)[i] = start[i] / norm;
        double* const w = B.w;
        double scale = 0;  // a running estimate of |T|, for the invariance test
        for (index_t j = 0; j < steps; ++j) {
            op(vec_view<const double>(q(j), n_), vec_view<double>(w, n_));
            for (index_t i = 0; i < n_; ++i)
                if (!math::isfinite(w[i])) return finish(lanczos_status::nonfinite);
            double a = 0;
            for (int pass = 0; pass < 2; ++pass) {  // classical Gram-Schmidt, twice
                for (index_t i = 0; i <= j; ++i) B.h[i] = dot(q(i), w);
                for (index_t i = 0; i <= j; ++i) {
                    const double* qi = q(i);
                    for (index_t r = 0; r < n_; ++r) w[r] -= B.h[i] * qi[r];
                }
                a += B.h[j];
            }
            const double b = math::sqrt(dot(w, w));
            B.alpha[j] = a;
            B.beta[j] = b;
            m_ = j + 1;
            const double row = math::abs(a) + b + (j > 0 ? B.beta[j - 1] : 0.0);
            if (row > scale) scale = row;
            if (b <= 8.0 * DBL_EPSILON * double(n_) * scale) {  // rounding level: A maps span(Q) into itself
                invariant_ = true;
                break;
            }
            if (m_ == steps) break;
            for (index_t i = 0; i < n_; ++i) q(m_)[i] = w[i] / b;
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
    double alpha(index_t j) const { return buf().alpha[j]; }
    double beta(index_t j) const { return buf().beta[j]; }

    // The Ritz pair at position i in ascending order of the values (i < steps()).
    ritz_pair pair(index_t i) const {
        const lanczos_buffers B = buf();
        const index_t col = B.order[i];
        return {B.theta[col], math::abs(B.beta[m_ - 1] * z_(m_ - 1, col)), i};
    }
    // The i-th smallest and the i-th largest (i = 0: the extreme one; i < steps()).
    ritz_pair smallest(index_t i) const { return pair(i); }
    ritz_pair largest(index_t i) const { return pair(m_ - 1 - i); }
    // The squared first component of p's eigenvector of T: the weight of p's Ritz value in the
    // spectral measure of A seen from the start vector (the Gauss quadrature weight of stochastic
    // Lanczos quadrature); the weights of the steps() pairs sum to 1.
    double ritz_weight(const ritz_pair& p) const {
        const double s = z_(0, buf().order[p.index]);
        return s * s;
    }
    // out = y = Q s, the unit Ritz vector of p (n values).
    template <index_t E>
    void ritz_vector(const ritz_pair& p, vec_view<double, E> out) const {
        const index_t col = buf().order[p.index];
        for (index_t r = 0; r < n_; ++r) out[r] = 0.0;
        for (index_t j = 0; j < m_; ++j) {
            const double c = z_(j, col);
            const double* qj = q(j);
            for (index_t r = 0; r < n_; ++r) out[r] += c * qj[r];
        }
    }

private:
    index_t n_ = 0, m_ = 0;
    bool invariant_ = false;
    lanczos_status status_ = lanczos_status::ok;

    lanczos_buffers buf() const { return static_cast<const Derived&>(*this).buffers(); }
    double* q(index_t j) const {
        const lanczos_buffers B = buf();
        return B.Q + j * B.stride;
    }
    double z_(index_t i, index_t j) const { return buf().z[i * m_ + j]; }
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
    // T's eigenpairs into theta and z, and order ascending.
    bool solve() {
        const lanczos_buffers B = buf();
        vec_view<double> d(B.theta, m_), e(B.h, m_);
        for (index_t j = 0; j < m_; ++j) {
            d[j] = B.alpha[j];
            e[j] = B.beta[j];
        }
        const bool ok = tridiagonal_eigen(d, e, mat_view<double>(B.z, m_, m_));
        index_t* const order = B.order;
        for (index_t i = 0; i < m_; ++i) order[i] = i;
        for (index_t i = 1; i < m_; ++i) {  // insertion sort of the order by value
            const index_t o = order[i];
            index_t j = i;
            while (j > 0 && B.theta[order[j - 1]] > B.theta[o]) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = o;
        }
        return ok;
    }
};
}  // namespace detail

// Lanczos with full reorthogonalization for symmetric operators of dimension up to MaxN, at most
// MaxSteps steps, every vector inside the object (no heap). An operator is any callable
// op(vec_view<const double> in, vec_view<double> out) setting out = A in (n values each; e.g.
// hessian_operator, analysis/hessian_operator.hpp). After run: the Ritz values in ascending
// order, the k smallest and k largest with their residual bounds, and their Ritz vectors (the
// members of detail::lanczos_engine: run, run_from, status, dimension, steps, invariant, alpha,
// beta, pair, smallest, largest, ritz_weight, ritz_vector).
template <index_t MaxN, index_t MaxSteps>
class lanczos : public detail::lanczos_engine<lanczos<MaxN, MaxSteps>> {
    static_assert(MaxN >= 1 && MaxSteps >= 1, "twolayer::lanczos<MaxN, MaxSteps>: both must be at least 1");

public:
    static constexpr index_t max_dimension() { return MaxN; }
    static constexpr index_t max_steps() { return MaxSteps; }

    // The object's own storage (the engine writes through it only from run and run_from, which
    // are not const).
    detail::lanczos_buffers buffers() const {
        auto* self = const_cast<lanczos*>(this);
        return {self->Q_.data, MaxN,         self->w_.data, self->alpha_.data, self->beta_.data, self->theta_.data,
                self->h_.data, self->zbuf_.data, self->order_, MaxN,           MaxSteps};
    }

private:
    mat<double, MaxSteps, MaxN> Q_{};  // row j = q_j
    vec<double, MaxN> w_{};
    vec<double, MaxSteps> alpha_{}, beta_{}, theta_{}, h_{};
    mat<double, MaxSteps, MaxSteps> zbuf_{};  // T's eigenvectors, m x m row-major at the start
    index_t order_[MaxSteps] = {};
};

// Lanczos over the caller's storage, for sizes known at run time (host code; the same algorithm
// and the same bits as lanczos<MaxN, MaxSteps>): doubles holds
// doubles_needed(max_n, max_steps) values, indices max_steps. With smaller buffers every run
// returns bad_size. The buffers must outlive the object; copying the object shares them.
class lanczos_ref : public detail::lanczos_engine<lanczos_ref> {
public:
    // The doubles a run of dimension up to max_n and up to max_steps steps needs:
    // max_steps (max_n + max_steps + 4) + max_n.
    static constexpr index_t doubles_needed(index_t max_n, index_t max_steps) {
        return max_steps * (max_n + max_steps + 4) + max_n;
    }

    lanczos_ref() = default;
    template <index_t E1, index_t E2>
    lanczos_ref(vec_view<double, E1> doubles, vec_view<index_t, E2> indices, index_t max_n, index_t max_steps) {
        const bool fits = max_n >= 1 && max_steps >= 1 && indices.size() >= max_steps &&
                          doubles.size() >= doubles_needed(max_n, max_steps);
        if (!fits) return;  // max_n_ = 0: every run is bad_size
        double* p = doubles.data();
        Q_ = p;
        p += max_steps * max_n;
        w_ = p;
        p += max_n;
        alpha_ = p;
        beta_ = p + max_steps;
        theta_ = p + 2 * max_steps;
        h_ = p + 3 * max_steps;
        z_ = p + 4 * max_steps;
        order_ = indices.data();
        max_n_ = max_n;
        max_steps_ = max_steps;
    }

    index_t max_dimension() const { return max_n_; }
    index_t max_steps() const { return max_steps_; }
    // The caller's storage, as the engine reads it.
    detail::lanczos_buffers buffers() const {
        return {Q_, max_n_, w_, alpha_, beta_, theta_, h_, z_, order_, max_n_, max_steps_};
    }

private:
    double *Q_ = nullptr, *w_ = nullptr, *alpha_ = nullptr, *beta_ = nullptr, *theta_ = nullptr, *h_ = nullptr,
           *z_ = nullptr;
    index_t* order_ = nullptr;
    index_t max_n_ = 0, max_steps_ = 0;
};

}  // namespace twolayer
