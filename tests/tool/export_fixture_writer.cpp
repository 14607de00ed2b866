// Writes the inputs of the build-time export (tests/tool/CMakeLists.txt): the fixture network
// (export_fixture.hpp) as float64 .npy files, and as two weight blobs made by the library's
// save_blob from networks holding its values.
//   export_fixture_writer DIR    DIR/npy/{W,v,b,c}.npy, DIR/q3_12.blob (tanh, both biases),
//                                DIR/f16.blob (relu, no biases)
// Exit 0 done, 1 a write failed.
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "export_fixture.hpp"
#include "tool/npy/npy.hpp"
#include "twolayer/io/blob.hpp"

namespace fx = export_fixture;
using namespace twolayer;

namespace {

template <class Net>
bool write_blob(Net& net, bool biases, const std::string& path) {
    using S = typename Net::value_type;
    for (std::size_t i = 0; i < fx::P * fx::N; ++i) net.W_mut().flat()[index_t(i)] = format_traits<S>::from_double(fx::value(i));
    for (std::size_t k = 0; k < fx::P; ++k) {
        net.v_mut()[index_t(k)] = format_traits<S>::from_double(fx::value(fx::P * fx::N + k));
        net.hidden_bias_mut()[index_t(k)] = format_traits<S>::from_double(fx::value(fx::P * fx::N + fx::P + k));
    }
    net.set_output_bias(format_traits<S>::from_double(fx::value(fx::values - 1)));
    net.use_hidden_bias(biases);
    net.use_output_bias(biases);
    static std::uint8_t buf[blob_size<Net>()];
    const blob_write_result r = save_blob(net, buf, sizeof buf);
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(buf), std::streamsize(r.size));
    return r.status == blob_status::ok && bool(out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: export_fixture_writer DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    ::mkdir(dir.c_str(), 0755);
    ::mkdir((dir + "/npy").c_str(), 0755);
    std::vector<double> all(fx::values);
    for (std::size_t i = 0; i < fx::values; ++i) all[i] = fx::value(i);
    namespace npy = twolayer::tool::npy;
    const double* at = all.data();
    npy::write_file(dir + "/npy/W.npy", {fx::P, fx::N}, at, npy::dtype::float64, "W");
    npy::write_file(dir + "/npy/v.npy", {fx::P}, at + fx::P * fx::N, npy::dtype::float64, "v");
    npy::write_file(dir + "/npy/b.npy", {fx::P}, at + fx::P * fx::N + fx::P, npy::dtype::float64, "b");
    npy::write_file(dir + "/npy/c.npy", {}, at + fx::values - 1, npy::dtype::float64, "c");
    static network<q3_12, fx::N, fx::P, act::tanh> q;
    static network<f16, fx::N, fx::P, act::relu> h;
    return write_blob(q, true, dir + "/q3_12.blob") && write_blob(h, false, dir + "/f16.blob") ? 0 : 1;
}
