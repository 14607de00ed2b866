// Example: updating a running network's weights from a blob received over a byte stream.
//
// The device runs a network; new weights arrive as a weight blob (io/blob.hpp: header, payload,
// CRC-32), a chunk at a time as from a UART, into a receive buffer. load_blob checks the whole
// blob before it writes a byte, so a damaged update is refused with its status and the network
// keeps running on its old weights. Shown here: a good update (the board's outputs become the
// sender's), then three damaged ones (a flipped byte, a transfer cut short, a blob for a network
// of another size), each refused with the running network's bytes and outputs unchanged, then the
// intact blob accepted.
//
// Output (checked by check_example.py): "update <name>: received <n> bytes, status <s> (<text>)",
// after each refusal "unchanged <name> bytes <yes|no> outputs <yes|no>" (bytes: the whole network
// object), after each accepted update "outputs <v...>" (also first, for the weights shipped) and
// "sender_match <yes|no>". Exit code 0 when every update did what it should.
#include <cstdint>
#include <cstring>

#include "common/report.hpp"
#include "twolayer/twolayer.hpp"

using namespace twolayer;

namespace {
constexpr index_t N = 8, P = 4, PROBES = 3;
using net_t = network<float, N, P, act::erf>;
constexpr std::size_t BLOB = blob_size<net_t>();
constexpr std::size_t CHUNK = 16;  // bytes per transfer, as a UART driver hands them over

// Static: every buffer in .bss, none on the stack.
net_t g_running;                        // the network the device runs
net_t g_update, g_next;                 // stand in for the host: the networks whose blobs it sends
network<float, N, P - 1, act::erf> g_other;  // a network of another size (P - 1 hidden units)
std::uint8_t g_tx[BLOB];                // the sender's bytes
std::uint8_t g_rx[BLOB];                // the device's receive buffer: one blob of its network
unsigned char g_before[sizeof(net_t)];  // every byte of the running network before an update
float g_probe[PROBES][N];               // fixed inputs the device's outputs are compared on

// The sender's side of the byte stream: the first `length` bytes of g_tx, CHUNK at a time.
struct byte_stream {
    std::size_t length, sent = 0;
    // Copies up to `room` of the next bytes to dst; 0 when the stream has ended.
    std::size_t read(std::uint8_t* dst, std::size_t room) {
        std::size_t n = length - sent < CHUNK ? length - sent : CHUNK;
        if (n > room) n = room;
        std::memcpy(dst, g_tx + sent, n);
        sent += n;
        return n;
    }
};

// The device's side: fills g_rx until the stream ends or the buffer is full; the bytes received.
std::size_t receive(byte_stream stream) {
    std::size_t got = 0;
    while (got < sizeof g_rx) {
        const std::size_t n = stream.read(g_rx + got, sizeof g_rx - got);
        if (n == 0) break;
        got += n;
    }
    return got;
}

template <class Net>
void outputs(Net& net, float (&y)[PROBES]) {
    for (index_t i = 0; i < PROBES; ++i) y[i] = net.forward(g_probe[i]);
}

bool same_outputs(const float (&a)[PROBES], const float (&b)[PROBES]) {
    return std::memcmp(a, b, sizeof a) == 0;
}

// Sends the first `length` bytes of g_tx to the device, which loads them into g_running, and
// returns load_blob's status. Prints it; after a refusal also whether the running network's
// bytes and outputs are unchanged, which it then stores in `unchanged`.
blob_status update(const char* name, std::size_t length, bool& unchanged) {
    float y_before[PROBES], y_after[PROBES];
    outputs(g_running, y_before);
    std::memcpy(g_before, &g_running, sizeof g_running);

    const std::size_t got = receive(byte_stream{length});
    const blob_status s = load_blob(g_rx, got, g_running);
    example_text::line()
        .text("update ").text(name).text(": received ").count(got)
        .text(" bytes, status ").count(unsigned(s)).text(" (").text(to_string(s)).text(")")
        .print();
    if (s == blob_status::ok) return s;

    // The whole object (weights, biases, forward cache, head) before the next forward pass.
    const bool bytes_same = std::memcmp(g_before, &g_running, sizeof g_running) == 0;
    outputs(g_running, y_after);
    const bool outputs_same = same_outputs(y_before, y_after);
    unchanged = bytes_same && outputs_same;
    example_text::line()
        .text("unchanged ").text(name)
        .text(" bytes ").text(bytes_same ? "yes" : "no")
        .text(" outputs ").text(outputs_same ? "yes" : "no")
        .print();
    return s;
}

// Prints the running network's outputs on the probes into `y`.
void print_outputs(float (&y)[PROBES]) {
    outputs(g_running, y);
    example_text::line l;
    l.text("outputs");
    for (float v : y) l.text(" ").sci(v);
    l.print();
}

// After an accepted update: prints the outputs and whether they are the sender's, bit for bit.
bool outputs_match(net_t& sender) {
    float mine[PROBES], theirs[PROBES];
    print_outputs(mine);
    outputs(sender, theirs);
    const bool same = same_outputs(mine, theirs);
    example_text::line().text("sender_match ").text(same ? "yes" : "no").print();
    return same;
}
}  // namespace

int main() {
    gaussian_rng rng(18, 3);
    for (auto& x : g_probe)
        for (float& v : x) v = rng.gaussian<float>();
    gaussian_rng init(18, 4);
    init_network(g_running, init);  // the weights the device shipped with
    init_network(g_update, init);
    init_network(g_next, init);
    init_network(g_other, init);

    float shipped[PROBES];
    print_outputs(shipped);
    bool ok = true, unchanged = false;
    save_blob(g_update, g_tx, sizeof g_tx);
    ok = update("good", BLOB, unchanged) == blob_status::ok && outputs_match(g_update);

    // Damaged copies of g_next's blob (weights the running network does not have, so a blob
    // loaded by mistake would show): each must be refused with its own status.
    save_blob(g_next, g_tx, sizeof g_tx);
    g_tx[blob_layout::header_size + 5] ^= 0x10;  // one bit of the payload flipped in transit
    ok = update("flipped_byte", BLOB, unchanged) == blob_status::checksum_mismatch && unchanged && ok;
    g_tx[blob_layout::header_size + 5] ^= 0x10;
    ok = update("truncated", BLOB - 20, unchanged) == blob_status::truncated && unchanged && ok;
    save_blob(g_other, g_tx, sizeof g_tx);
    ok = update("wrong_size", blob_size<decltype(g_other)>(), unchanged) == blob_status::size_mismatch &&
         unchanged && ok;

    // The intact blob, resent: accepted.
    save_blob(g_next, g_tx, sizeof g_tx);
    ok = update("resent", BLOB, unchanged) == blob_status::ok && outputs_match(g_next) && ok;
    return ok ? 0 : 1;
}
