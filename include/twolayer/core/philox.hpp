// Philox4x32-10 (Salmon et al., SC'11): a portable counter-based generator. The same
// (seed, stream) gives the same bits on every target (integer arithmetic only); the trainers'
// stochastic rounding and the Gaussian samplers draw from it.
#pragma once
#include <cstdint>

namespace twolayer {

// Philox4x32 with 10 rounds. The key is the seed, the counter's upper half the stream, its lower
// half the position: every (seed, stream) is an independent sequence of 2^64 blocks.
class philox4x32 {
public:
    philox4x32(std::uint64_t seed = 0, std::uint64_t stream = 0)
        : key0_(std::uint32_t(seed)), key1_(std::uint32_t(seed >> 32)),
          stream0_(std::uint32_t(stream)), stream1_(std::uint32_t(stream >> 32)) {}

    std::uint32_t next_u32() {
        if (used_ == 4) refill();
        return block_[used_++];
    }
    std::uint64_t next_u64() {
        const std::uint64_t hi = next_u32();
        return (hi << 32) | next_u32();
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform01() { return double(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform in [0, n).
    std::uint32_t below(std::uint32_t n) { return std::uint32_t((std::uint64_t(next_u32()) * n) >> 32); }

    // The raw block function, exposed for tests against published answers.
    static void block(const std::uint32_t ctr_in[4], std::uint32_t k0, std::uint32_t k1,
                      std::uint32_t out[4]) {
        std::uint32_t c0 = ctr_in[0], c1 = ctr_in[1], c2 = ctr_in[2], c3 = ctr_in[3];
        for (int round = 0; round < 10; ++round) {
            const std::uint64_t p0 = std::uint64_t(0xD2511F53u) * c0;
            const std::uint64_t p1 = std::uint64_t(0xCD9E8D57u) * c2;
            const std::uint32_t n0 = std::uint32_t(p1 >> 32) ^ c1 ^ k0;
            const std::uint32_t n2 = std::uint32_t(p0 >> 32) ^ c3 ^ k1;
            c0 = n0; c1 = std::uint32_t(p1); c2 = n2; c3 = std::uint32_t(p0);
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

private:
    std::uint32_t key0_, key1_, stream0_, stream1_;
    std::uint64_t position_ = 0;
    std::uint32_t block_[4] = {0, 0, 0, 0};
    int used_ = 4;

    void refill() {
        const std::uint32_t ctr[4] = {std::uint32_t(position_), std::uint32_t(position_ >> 32), stream0_,
                                      stream1_};
        block(ctr, key0_, key1_, block_);
        ++position_;
        used_ = 0;
    }
};

}  // namespace twolayer
