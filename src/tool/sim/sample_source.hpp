// The labelled Gaussian inputs of a chain: x ~ N(0, I_N) drawn in the format's compute type C
// (teacher/gaussian_block.hpp, a buffer at a time), stored in the format for the student, and
// labelled by the double teacher on the drawn values: y = teacher(x) + sigma xi, xi ~ N(0, 1)
// from a stream of its own (drawn only when sigma > 0).
#pragma once
#include <cstdint>
#include <type_traits>
#include <vector>

#include "twolayer/format/traits.hpp"
#include "twolayer/teacher/gaussian_block.hpp"
#include "teacher.hpp"

namespace twolayer::tool {

/// Samples of format F for a student of N inputs; the streams are the caller's (stream_of).
template <class F>
class sample_source {
    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    sample_source(std::uint64_t seed, std::uint64_t x_stream, std::uint64_t noise_stream, double sigma, index_t N,
                  teacher_network& teacher)
        : x_(seed, x_stream), noise_(seed, noise_stream), sigma_(sigma), N_(N), teacher_(teacher),
          drawn_(is_native_v<F> ? 0 : std::size_t(N)), teacher_x_(std::is_same<C, double>::value ? 0 : std::size_t(N)) {}

    /// Fills x (N values of S) with the next sample and returns its label, in double.
    double draw(S* x) {
        C* c;
        if constexpr (is_native_v<F>) {
            c = x;  // S is C: drawn in place
            x_.fill(c, N_);
        } else {
            c = drawn_.data();
            x_.fill(c, N_);
            for (index_t j = 0; j < N_; ++j) x[j] = store_as<F>(c[j]);
        }
        const double* xd;
        if constexpr (std::is_same<C, double>::value) {
            xd = c;
        } else {
            for (index_t j = 0; j < N_; ++j) teacher_x_[std::size_t(j)] = double(c[j]);
            xd = teacher_x_.data();
        }
        const double y = teacher_.output(xd);
        return sigma_ == 0 ? y : y + sigma_ * next_noise();
    }

private:
    // The noise stream a buffer at a time (gaussian_block: the same values however it is cut).
    double next_noise() {
        if (noise_used_ == noise_buffer_size) {
            noise_.fill(noise_buf_, noise_buffer_size);
            noise_used_ = 0;
        }
        return noise_buf_[noise_used_++];
    }

    static constexpr index_t noise_buffer_size = 256;
    gaussian_block<C> x_;
    gaussian_block<double> noise_;
    double sigma_;
    index_t N_;
    teacher_network& teacher_;
    std::vector<C> drawn_;         // the draw in C, when S is not C
    std::vector<double> teacher_x_;  // the draw in double, when C is not double
    double noise_buf_[noise_buffer_size] = {};
    index_t noise_used_ = noise_buffer_size;
};

}  // namespace twolayer::tool
