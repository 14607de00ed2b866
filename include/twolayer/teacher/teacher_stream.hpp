// The teacher side of a teacher-student experiment: a network with P* units and its own
// activation, labelling a stream of inputs x ~ N(0, I_N) with y = teacher(x) + sigma xi,
// xi ~ N(0, 1). Inputs go into caller storage; fixed-size datasets can be filled for GD.
#pragma once
#include "twolayer/model/dataset.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/teacher/rng.hpp"

namespace twolayer {

// A teacher network of PT units (activation Act) and the labelled Gaussian inputs it produces.
template <class T, index_t N, index_t PT, class Act = act::erf>
class teacher_stream {
public:
    // Gaussian first layer, second layer 1 (the soft committee machine), noise sigma. The
    // teacher's weights come from (seed, stream); the samples from (seed, stream + 1).
    teacher_stream(std::uint64_t seed, std::uint64_t stream = 0, T sigma = T(0))
        : samples_(seed, stream + 1), sigma_(sigma) {
        gaussian_rng init(seed, stream);
        init_network(net_, init, second_layer_init::one);
    }

    network<T, N, PT, Act>& teacher() { return net_; }
    T sigma() const { return sigma_; }

    // Fills x with a fresh input and returns its noisy label.
    T draw(vec_view<T, N> x) {
        for (index_t j = 0; j < x.size(); ++j) x[j] = samples_.gaussian<T>();
        const T clean = net_.forward(x);
        return sigma_ == T(0) ? clean : T(clean + sigma_ * samples_.gaussian<T>());
    }

    template <index_t M>
    void fill(dataset<T, M, N>& d) {
        for (index_t mu = 0; mu < M; ++mu) d.y[mu] = draw(d.sample(mu));
    }

private:
    network<T, N, PT, Act> net_;
    gaussian_rng samples_;
    T sigma_;
};

}  // namespace twolayer
