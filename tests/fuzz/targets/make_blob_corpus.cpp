// Writes fuzz_blob's seed corpus into the directory given: for every destination network of
// blob_networks.hpp, its blobs saved by save_blob with each bias combination (and a sequence
// number), and from one of them the inputs the loader must refuse: cut short, a flipped payload
// bit, a wrong magic, a newer version, a NaN with its CRC rewritten. Deterministic (fixed seeds):
// the committed corpus is what it writes.
#include <cstdio>
#include <cstring>
#include <string>

#include "blob_networks.hpp"

namespace {

using namespace twolayer;

bool write_file(const std::string& path, const std::uint8_t* bytes, std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(bytes, 1, size, f) == size;
    return std::fclose(f) == 0 && ok;
}

void rewrite_crc(std::uint8_t* blob, std::size_t size) { detail::put_le(blob + size - 4, crc32(blob, size - 4), 4); }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_blob_corpus DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    int written = 0, net_index = 0;
    bool ok = true;
    fuzz_blob::for_each_network([&](auto& net) {
        static std::uint8_t blob[fuzz_blob::max_blob_bytes], bad[fuzz_blob::max_blob_bytes];
        const std::string stem = dir + "/net" + std::to_string(net_index++);
        for (std::uint8_t biases = 0; biases < 4; ++biases) {
            fuzz_blob::fill(net, 100u + biases, biases);
            const blob_write_result w = save_blob(net, blob, sizeof blob, biases * 1000u);
            ok = ok && w.ok() && write_file(stem + "_bias" + std::to_string(biases) + ".blob", blob, w.size);
            ++written;
            if (biases != 3) continue;
            // From the last one, what must be refused.
            const std::size_t n = w.size;
            ok = ok && write_file(stem + "_truncated.blob", blob, n - 5);
            std::memcpy(bad, blob, n);
            bad[blob_layout::header_size] ^= 0x10;
            ok = ok && write_file(stem + "_bitflip.blob", bad, n);
            std::memcpy(bad, blob, n);
            bad[0] = 'X';
            ok = ok && write_file(stem + "_magic.blob", bad, n);
            std::memcpy(bad, blob, n);
            bad[blob_layout::off_version] = 2;
            rewrite_crc(bad, n);
            ok = ok && write_file(stem + "_version.blob", bad, n);
            std::memcpy(bad, blob, n);
            std::memset(bad + blob_layout::header_size, 0xFF, 8);  // all-ones exponents: NaN in a floating format
            rewrite_crc(bad, n);
            ok = ok && write_file(stem + "_nan.blob", bad, n);
            written += 5;
        }
    });
    if (!ok) {
        std::fprintf(stderr, "make_blob_corpus: cannot write into %s\n", dir.c_str());
        return 1;
    }
    std::printf("make_blob_corpus: %d blobs in %s\n", written, dir.c_str());
    return 0;
}
