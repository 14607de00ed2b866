// Fixtures of the analysis tests (test_hvp*, test_lanczos*): a random network with both biases, a
// Gaussian dataset with labels suited to a loss, the dense Hessian assembled column by column from
// the HVP, and a cyclic Jacobi eigensolver (an independent dense method, small enough for a board).
#pragma once
#include <cmath>

#include "test_util.hpp"
#include "twolayer/analysis/hessian_operator.hpp"
#include "twolayer/analysis/hvp.hpp"
#include "twolayer/analysis/lanczos.hpp"

namespace tl_test {

// m = max(m, v) (not std::fmax in a loop: GCC 12 for AArch64 crashes vectorizing an fmax reduction).
inline void keep_max(double& m, double v) {
    if (v > m) m = v;
}

// Labels for a loss: Gaussian for squared, +-1 for the weighted (class by sign) and logistic losses.
enum class labels { gaussian, sign };

// A double network drawn from g: W ~ N(0, 1), v ~ N(0, 1), b ~ N(0, 0.3^2), c = 0.2, both
// biases on (biases = false: both off).
template <twolayer::index_t N, twolayer::index_t P, class Act>
void random_network(twolayer::network<double, N, P, Act>& net, twolayer::gaussian_rng& g, bool biases = true) {
    twolayer::init_network(net, g);
    fill_gaussian(net.v_mut(), g);
    fill_gaussian(net.hidden_bias_mut(), g, 0.3);
    net.set_output_bias(0.2);
    net.use_hidden_bias(biases);
    net.use_output_bias(biases);
}

// Inputs N(0, 1); labels as asked.
template <twolayer::index_t M, twolayer::index_t N>
void random_dataset(twolayer::dataset<double, M, N>& d, twolayer::gaussian_rng& g, labels how) {
    fill_gaussian(d.X.view().flat(), g);
    for (twolayer::index_t mu = 0; mu < M; ++mu) {
        const double y = g.next();
        d.y[mu] = how == labels::gaussian ? y : (y > 0 ? 1.0 : -1.0);
    }
}

// The smallest |z_k(x_mu)| over the dataset: the distance of the pre-activations from the kinks
// of ReLU and |x| (finite differences across a kink see the jump of g').
template <class Net, class D>
double min_abs_preactivation(Net& net, const D& d) {
    double m = 1e300;
    for (twolayer::index_t mu = 0; mu < d.samples(); ++mu) {
        net.forward(d.X.view().row(mu));
        for (twolayer::index_t k = 0; k < Net::hidden(); ++k) {
            const double z = std::fabs(double(net.lambda()[k]));
            if (z < m) m = z;
        }
    }
    return m;
}

// H (n x n, row-major, n = flat_size(net)): column i = H e_i from hessian_vector_product.
template <class Net, class D, class Loss, class T, twolayer::index_t NN>
bool dense_hessian(const Net& net, const D& d, const Loss& loss, twolayer::hessian_blocks blocks, T* H, T (&e)[NN],
                   T (&col)[NN]) {
    using namespace twolayer;
    const index_t n = flat_size(net);
    static hvp_workspace<typename Net::format, Net::inputs(), Net::hidden()> ws;
    for (index_t i = 0; i < n; ++i) {
        for (index_t j = 0; j < n; ++j) e[j] = T(i == j ? 1 : 0);
        if (!hessian_vector_product(net, d, vec_view<const T>(e, n), vec_view<T>(col, n), ws, blocks, loss))
            return false;
        for (index_t j = 0; j < n; ++j) H[j * n + i] = col[j];
    }
    return true;
}

// The eigenvalues of the symmetric n x n matrix A (row-major, destroyed) by cyclic Jacobi
// rotations, ascending in lambda. Converges quadratically; off-diagonal mass below 1e-30 of the
// total ends it.
inline void jacobi_eigenvalues(double* A, int n, double* lambda) {
    for (int sweep = 0; sweep < 60; ++sweep) {
        double off = 0, all = 0;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                all += A[i * n + j] * A[i * n + j];
                if (i != j) off += A[i * n + j] * A[i * n + j];
            }
        if (off <= 1e-30 * all) break;
        for (int p = 0; p < n - 1; ++p)
            for (int q = p + 1; q < n; ++q) {
                const double apq = A[p * n + q];
                if (apq == 0.0) continue;
                const double theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; ++k) {  // A J
                    const double akp = A[k * n + p], akq = A[k * n + q];
                    A[k * n + p] = c * akp - s * akq;
                    A[k * n + q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; ++k) {  // J^T (A J)
                    const double apk = A[p * n + k], aqk = A[q * n + k];
                    A[p * n + k] = c * apk - s * aqk;
                    A[q * n + k] = s * apk + c * aqk;
                }
            }
    }
    for (int i = 0; i < n; ++i) lambda[i] = A[i * n + i];
    for (int i = 1; i < n; ++i) {  // insertion sort
        const double v = lambda[i];
        int j = i - 1;
        while (j >= 0 && lambda[j] > v) {
            lambda[j + 1] = lambda[j];
            --j;
        }
        lambda[j + 1] = v;
    }
}

}  // namespace tl_test
