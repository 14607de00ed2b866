#include "encode.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "../usage_error.hpp"

namespace twolayer::tool::exporter {

namespace {

// Encodes xs (the array `name`: P x N values when n > 0, else P; c is one) into out, counting
// changes.
void encode_array(const std::vector<double>& xs, std::size_t n, const char* name, const storage_codec& codec,
                  std::vector<std::uint64_t>& out, encoded_network& e) {
    out.resize(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (!codec.encode(xs[i], out[i])) {
            char value[32];
            std::snprintf(value, sizeof value, "%.9g", xs[i]);
            const std::string index = n > 0              ? "(" + std::to_string(i / n) + ", " + std::to_string(i % n) + ")"
                                      : name[0] == 'c' ? std::string()
                                                       : "(" + std::to_string(i) + ")";
            throw usage_error("--format", codec.name,
                              std::string(name) + index + " = " + value + " is out of " + codec.name + "'s range " +
                                  codec.range);
        }
        const double change = std::fabs(codec.decode(out[i]) - xs[i]);
        const bool same_bits = std::signbit(codec.decode(out[i])) == std::signbit(xs[i]) && change == 0;
        if (!same_bits) ++e.changed;
        if (change > e.largest_change) e.largest_change = change;
    }
}

}  // namespace

encoded_network encode_network(const network_values& values, const storage_codec& codec) {
    encoded_network e;
    encode_array(values.W, values.n, "W", codec, e.W, e);
    encode_array(values.v, 0, "v", codec, e.v, e);
    encode_array(values.b, 0, "b", codec, e.b, e);
    if (values.c) {
        std::vector<std::uint64_t> c;
        encode_array({*values.c}, 0, "c", codec, c, e);
        e.c = c[0];
    }
    return e;
}

}  // namespace twolayer::tool::exporter
