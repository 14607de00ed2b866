// CRC-32 of IEEE 802.3 (the one of zlib, PNG and Ethernet): reflected polynomial 0xEDB88320,
// initial value and final xor 0xFFFFFFFF; the CRC of the nine bytes "123456789" is 0xCBF43926.
// The weight blob (io/blob.hpp) and the checkpoint slots (io/checkpoint.hpp) use it to tell an
// intact blob from a corrupt or torn one.
//
// Table: 16 entries, one per 4-bit nibble, two lookups per byte. Why not the usual 256-entry
// table: it costs 1 KiB of flash (5% of the reference firmware's image) to save one lookup per
// byte, and a blob is checksummed once per save or load, which is not where a device spends its
// time; the bitwise loop (no table) takes 8 shift-and-xor rounds per byte instead of the
// nibble's two. 64 bytes of constant table is the middle: in flash, computed at compile time.
#pragma once
#include <cstddef>
#include <cstdint>

namespace twolayer {

namespace detail {
// The CRC of the 16 values of a nibble, shifted through the reflected polynomial four times.
struct crc32_nibble_table {
    std::uint32_t entry[16] = {};
    constexpr crc32_nibble_table() {
        for (std::uint32_t n = 0; n < 16; ++n) {
            std::uint32_t c = n;
            for (int bit = 0; bit < 4; ++bit) c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            entry[n] = c;
        }
    }
};
inline constexpr crc32_nibble_table crc32_table{};
}  // namespace detail

// An incremental CRC-32: update() over the data in any number of chunks, then value(). The CRC
// of a whole buffer is the same whatever the chunks (crc32() below in one call).
class crc32_state {
public:
    // Feeds n bytes at data (data may be null when n is 0).
    constexpr crc32_state& update(const std::uint8_t* data, std::size_t n) {
        std::uint32_t c = reg_;
        for (std::size_t i = 0; i < n; ++i) {
            c ^= data[i];
            c = (c >> 4) ^ detail::crc32_table.entry[c & 15u];
            c = (c >> 4) ^ detail::crc32_table.entry[c & 15u];
        }
        reg_ = c;
        return *this;
    }
    // The CRC of every byte fed so far (the register with the final xor; feeding may go on).
    constexpr std::uint32_t value() const { return reg_ ^ 0xFFFFFFFFu; }

private:
    std::uint32_t reg_ = 0xFFFFFFFFu;
};

// The CRC-32 of the n bytes at data.
constexpr std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
    return crc32_state{}.update(data, n).value();
}

}  // namespace twolayer
