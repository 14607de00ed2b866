#include "network_values.hpp"

#include <fstream>
#include <iterator>
#include <sys/stat.h>

#include "../npy/npy.hpp"
#include "../usage_error.hpp"
#include "codec.hpp"
#include "twolayer/io/blob_format.hpp"

namespace twolayer::tool::exporter {

namespace {

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

std::string dtype_name(npy::dtype t) {
    switch (t) {
        case npy::dtype::float32: return "float32";
        case npy::dtype::float64: return "float64";
        case npy::dtype::int8: return "int8";
        case npy::dtype::uint8: return "uint8";
        case npy::dtype::int32: return "int32";
        case npy::dtype::int64: return "int64";
    }
    return "?";
}

// "W.npy (4, 16) float64", for the description.
std::string describe(const std::string& file, const npy::array& a) {
    return file + " " + npy::shape_string(a.shape) + " " + dtype_name(a.stored);
}

// The activation whose blob id is `id`, if any.
std::optional<activation_id> activation_with_blob_id(std::uint8_t id) {
    for (activation_id a : {activation_id::erf, activation_id::relu, activation_id::quadratic, activation_id::tanh,
                            activation_id::sigmoid, activation_id::linear, activation_id::abs})
        if (blob_activation_id(a) == id) return a;
    return std::nullopt;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("--blob", path, "cannot open the file");
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Decodes the values of an array of `shape` (`name` in messages: "W") of `bytes` bytes each from
// `at` on, and moves `at` past them; a NaN or infinity is refused with the .npy checks' message
// (the element's index in shape), naming --blob and the file.
std::vector<double> decode_values(const std::uint8_t*& at, const std::vector<std::size_t>& shape, const char* name,
                                  const storage_codec& codec, int bytes, const std::string& path) {
    npy::array a;
    a.shape = shape;
    a.values.resize(npy::element_count(shape, name));
    for (double& x : a.values) {
        x = codec.decode(twolayer::detail::get_le(at, std::size_t(bytes)));
        at += bytes;
    }
    try {
        npy::require_finite(a, name);
    } catch (const npy::error& e) {
        throw usage_error("--blob", path, e.what());
    }
    return a.values;
}

}  // namespace

network_values read_weights_dir(const std::string& dir) {
    network_values r;
    const std::string W_path = dir + "/W.npy", v_path = dir + "/v.npy", b_path = dir + "/b.npy", c_path = dir + "/c.npy";
    const npy::array W = npy::read_expect(W_path, "--weights", {-1, -1});
    r.p = W.shape[0];
    r.n = W.shape[1];
    if (r.n == 0 || r.p == 0)
        throw usage_error("--weights", W_path, "wrong shape (expected (P, N) with P, N >= 1, found " + npy::shape_string(W.shape) + ")");
    const long p = long(r.p);
    const npy::array v = npy::read_expect(v_path, "--weights", {p});
    r.W = W.values;
    r.v = v.values;
    r.description = describe("W.npy", W) + ", " + describe("v.npy", v);
    bool all_float32 = W.stored == npy::dtype::float32 && v.stored == npy::dtype::float32;
    if (file_exists(b_path)) {
        const npy::array b = npy::read_expect(b_path, "--weights", {p});
        r.b = b.values;
        r.description += ", " + describe("b.npy", b);
        all_float32 = all_float32 && b.stored == npy::dtype::float32;
    }
    if (file_exists(c_path)) {
        const npy::array c = npy::read_expect(c_path, "--weights", {});
        r.c = c.values[0];
        r.description += ", " + describe("c.npy", c);
        all_float32 = all_float32 && c.stored == npy::dtype::float32;
    }
    r.description = "the .npy files in " + dir + ": " + r.description;
    r.format = all_float32 ? "float" : "double";
    return r;
}

network_values read_blob_file(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_bytes(path);
    const blob_parse parsed = parse_blob_header(bytes.data(), bytes.size());
    if (!parsed.ok()) throw usage_error("--blob", path, to_string(parsed.status));
    const blob_header& h = parsed.header;
    const storage_codec* codec = codec_with_blob_id(h.storage);
    const storage_codec* arith = codec_with_blob_id(h.arithmetic);
    const std::optional<activation_id> act = activation_with_blob_id(h.activation);
    if (!codec || !arith || (arith->name != std::string("float") && arith->name != std::string("double")))
        throw usage_error("--blob", path, "unknown number format (storage id " + std::to_string(h.storage) +
                                              ", arithmetic id " + std::to_string(h.arithmetic) + ")");
    if (h.value_bytes != codec->bytes)
        throw usage_error("--blob", path, std::string(codec->name) + " values of " + std::to_string(h.value_bytes) + " bytes");
    if (!act) throw usage_error("--blob", path, "unknown activation id " + std::to_string(h.activation));
    network_values r;
    r.n = h.n;
    r.p = h.p;
    r.activation = *act;
    r.format = codec->name;
    if (arith->name != std::string(codec->compute)) r.format += std::string("/") + arith->name;
    const int vb = h.value_bytes;
    const std::uint8_t* at = bytes.data() + blob_layout::header_size;
    r.W = decode_values(at, {r.p, r.n}, "W", *codec, vb, path);
    r.v = decode_values(at, {r.p}, "v", *codec, vb, path);
    const std::vector<double> b = decode_values(at, {r.p}, "b", *codec, vb, path);
    const std::vector<double> c = decode_values(at, {}, "c", *codec, vb, path);
    if (h.biases & blob_layout::bias_hidden) r.b = b;
    if (h.biases & blob_layout::bias_output) r.c = c[0];
    r.description = "the weight blob " + path + " (format " + r.format + ", activation " + activation_name(*act) +
                    ", sequence " + std::to_string(h.sequence) + ")";
    return r;
}

}  // namespace twolayer::tool::exporter
