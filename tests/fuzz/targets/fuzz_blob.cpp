// libFuzzer target: the weight-blob loader (io/blob_format.hpp, io/blob.hpp) on arbitrary bytes.
// Each input is tried as it is and once more with its CRC rewritten where its header says the
// CRC lies (so that the checks behind the CRC see mutated headers and payloads too). Invariants,
// any violation an abort the fuzzer reports:
//   - parse_blob_header is a pure function of the bytes: the same result twice, from a misaligned
//     copy, and (for a valid blob) with bytes appended;
//   - check_blob reports parse_blob_header's error, or one of the destination's mismatches;
//   - load_blob reports exactly check_blob's status, into a network and into its run-time-sized
//     reference; on any error the destination keeps every byte (memcmp with a copy);
//   - on ok, save_blob of the loaded network (with the blob's sequence number) writes the input's
//     blob back byte for byte: every byte of a valid blob is canonical.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "blob_networks.hpp"

namespace {

using namespace twolayer;

void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_blob: invariant violated: %s\n", what);
    std::abort();
}

bool same_header(const blob_header& a, const blob_header& b) {
    return a.version == b.version && a.flags == b.flags && a.storage == b.storage && a.arithmetic == b.arithmetic &&
           a.value_bytes == b.value_bytes && a.activation == b.activation && a.biases == b.biases && a.n == b.n &&
           a.p == b.p && a.sequence == b.sequence && a.payload_bytes == b.payload_bytes;
}

bool same_parse(const blob_parse& a, const blob_parse& b) {
    return a.status == b.status && (!a.ok() || same_header(a.header, b.header));
}

// The statuses that only a destination can cause (check_blob's after parse_blob_header's).
bool destination_status(blob_status s) {
    return s == blob_status::ok || s == blob_status::format_mismatch || s == blob_status::activation_mismatch ||
           s == blob_status::size_mismatch || s == blob_status::bias_mismatch || s == blob_status::nonfinite_value;
}

blob_parse parse_checked(const std::uint8_t* bytes, std::size_t size) {
    const blob_parse r = parse_blob_header(bytes, size);
    require(same_parse(r, parse_blob_header(bytes, size)), "parse_blob_header twice on the same bytes differs");
    std::vector<std::uint8_t> shifted(size + 2);
    if (size) std::memcpy(shifted.data() + 1, bytes, size);
    require(same_parse(r, parse_blob_header(shifted.data() + 1, size)), "parse_blob_header depends on the address");
    if (r.ok()) {
        shifted[size + 1] = 0xA5;
        require(same_parse(r, parse_blob_header(shifted.data() + 1, size + 1)), "a byte past a valid blob changed the result");
    }
    return r;
}

// load_blob into net (and into its dynamic reference) with the statuses compared to check_blob's
// and the bytes of the destination kept on error; on ok the blob re-saved and compared.
template <class Net>
void load_into(Net& net, const std::uint8_t* bytes, std::size_t size, const blob_parse& parsed) {
    using R = network_ref<typename Net::format, dynamic_extent, dynamic_extent, typename Net::activation>;
    const blob_status expected = check_blob(bytes, size, net).status;
    require(expected == check_blob(bytes, size, R(net.ref())).status, "check_blob differs through a dynamic reference");
    if (!parsed.ok()) require(expected == parsed.status, "check_blob hid parse_blob_header's error");
    else require(destination_status(expected), "check_blob reported a header error parse_blob_header did not");

    static std::uint8_t before[sizeof(Net)];
    std::memcpy(before, static_cast<const void*>(&net), sizeof(Net));
    const blob_status got = (bytes[0] & 1) ? load_blob(bytes, size, net) : load_blob(bytes, size, R(net.ref()));
    require(got == expected, "load_blob's status differs from check_blob's");
    if (got != blob_status::ok) {
        require(std::memcmp(before, static_cast<const void*>(&net), sizeof(Net)) == 0,
                "a failed load_blob changed the destination");
        return;
    }
    static std::uint8_t again[fuzz_blob::max_blob_bytes];
    const blob_write_result w = save_blob(net, again, sizeof again, parsed.header.sequence);
    require(w.ok(), "save_blob refused a network load_blob accepted");
    require(w.size == parsed.header.total_size(), "the re-saved blob has another length");
    require(std::memcmp(again, bytes, w.size) == 0, "the re-saved blob differs from the loaded one");
}

void run_on(const std::uint8_t* bytes, std::size_t size) {
    const blob_parse parsed = parse_checked(bytes, size);
    if (size == 0) return;  // load_into picks the route by the first byte
    std::uint64_t seed = 1;
    fuzz_blob::for_each_network([&](auto& net) {
        // Every bias combination: the one the blob names among them, so that a valid blob loads.
        for (std::uint8_t biases = 0; biases < 4; ++biases) {
            fuzz_blob::fill(net, seed++, biases);
            load_into(net, bytes, size, parsed);
        }
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    run_on(data, size);
    // The same bytes with the CRC the header's length points at rewritten.
    namespace L = blob_layout;
    if (size >= L::header_size) {
        const std::uint64_t body = L::header_size + detail::get_le(data + L::off_payload_bytes, 4);
        if (body + L::crc_size <= size) {
            std::vector<std::uint8_t> fixed(data, data + size);
            detail::put_le(fixed.data() + body, crc32(fixed.data(), std::size_t(body)), 4);
            run_on(fixed.data(), size);
        }
    }
    return 0;
}
