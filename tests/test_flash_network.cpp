// The flash-resident networks (model/flash_network.hpp, readout_network from flash_weights), on
// every preset:
//   - flash_network's forward pass equals network<F, N, P, Act>'s holding the same values, bit for
//     bit (output, pre-activations, activations), in all six formats, with and without biases;
//   - constexpr arrays (what `twolayer export` writes: floats, f16 by from_bits, q3_12 by
//     from_raw) make a constexpr flash_weights; the network reads them in place;
//   - a readout_network made from flash_weights reads W and b in place, starts from copies of v
//     and c, computes what the RAM network computes, and its retraining (readout GD) gives the RAM
//     network's readout bit for bit while the arrays keep their bytes.
#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 19, P = 5;  // 19: every arch's vector loops have a tail

// A network's parameters copied out into plain arrays, and the flash_weights viewing them.
template <class F>
struct copied_weights {
    using S = storage_t<F>;
    S W[P * N], v[P], b[P], c;
    template <class Net>
    flash_weights<F, N, P> copy_of(const Net& net) {
        std::memcpy(W, net.W().data(), sizeof W);
        std::memcpy(v, net.v().data(), sizeof v);
        std::memcpy(b, net.hidden_bias().data(), sizeof b);
        c = net.output_bias();
        return {mat_view<const S, P, N>(W), v, net.uses_hidden_bias() ? vec_view<const S, P>(b) : vec_view<const S, P>{},
                net.uses_output_bias() ? &c : nullptr};
    }
};

template <class T>
bool same_bytes(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}
template <class A, class B>
bool same_views(const A& a, const B& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(*a.data()) * a.size()) == 0;
}

// On 12 Gaussian samples, the flash network's output and cache have the RAM network's bytes.
template <class F, class Act, class Flash, class Net>
int count_equal_passes(Flash& flash, Net& ram, gaussian_rng& g) {
    int equal = 0;
    for (int s = 0; s < 12; ++s) {
        storage_t<F> x[N];
        for (auto& xi : x) xi = format_traits<F>::from_double(g.next());
        const compute_t<F> a = flash.forward(x), b = ram.forward(x);
        equal += same_bytes(a, b) && same_views(flash.lambda(), ram.lambda()) && same_views(flash.g(), ram.g());
    }
    return equal;
}

template <class F, class Act>
void forward_matches(bool biases) {
    static network<F, N, P, Act> ram;
    gaussian_rng g(11);
    init_network(ram, g, second_layer_init::inv_sqrt_p);
    ram.use_hidden_bias(biases);
    ram.use_output_bias(biases);
    if (biases) {
        for (auto& bk : ram.hidden_bias_mut()) bk = format_traits<F>::from_double(0.3 * g.next());
        ram.set_output_bias(format_traits<F>::from_double(-0.25));
    }
    static copied_weights<F> store;
    const flash_weights<F, N, P> w = store.copy_of(ram);
    flash_network<F, N, P, Act> flash(w);
    TL_CHECK(flash.uses_hidden_bias() == biases && flash.uses_output_bias() == biases);
    TL_CHECK(flash.W().data() == store.W && flash.v().data() == store.v);
    TL_CHECK(same_views(flash.hidden_bias(), ram.hidden_bias()) || !biases);
    TL_CHECK(same_bytes(flash.output_bias(), ram.output_bias()) || !biases);
    const int equal = count_equal_passes<F, Act>(flash, ram, g);
    TL_INFO("    %s, biases %s: %d of 12 forward passes bit-identical\n", format_traits<F>::name, biases ? "on" : "off",
            equal);
    TL_CHECK(equal == 12);
}

TL_TEST(forward_equals_network_bit_for_bit) {
    for (bool biases : {false, true}) {
        forward_matches<float, act::tanh>(biases);
        forward_matches<double, act::erf>(biases);
        forward_matches<f16, act::erf>(biases);
        forward_matches<bf16, act::tanh>(biases);
        forward_matches<q3_12, act::erf>(biases);
        forward_matches<q4_27, act::relu>(biases);
    }
}

// Constant arrays as an exported header holds them: values in the storage type, in read-only
// storage; N = 3, P = 2 (one row's tail on every arch).
constexpr float Wf[2 * 3] = {0.5f, -1.25f, 0x1.8p-3f, -0.0f, 3.0e-39f /* subnormal */, 2.0f};
constexpr float vf[2] = {1.5f, -0.75f};
constexpr float bf[2] = {0.125f, -0.5f};
constexpr float cf = 0.0625f;
constexpr flash_weights<float, 3, 2> wf{mat_view<const float, 2, 3>(Wf), vf, bf, &cf};
constexpr f16 Wh[2 * 3] = {f16::from_bits(0x3c00), f16::from_bits(0xbc00), f16::from_bits(0x0001),
                           f16::from_bits(0x7bff), f16::from_bits(0x8000), f16::from_bits(0x3555)};
constexpr f16 vh[2] = {f16::from_bits(0x3800), f16::from_bits(0xb800)};
constexpr flash_weights<f16, 3, 2> wh{mat_view<const f16, 2, 3>(Wh), vh};
constexpr q3_12 Wq[2 * 3] = {q3_12::from_raw(4096), q3_12::from_raw(-32768), q3_12::from_raw(32767),
                             q3_12::from_raw(1),    q3_12::from_raw(-1),     q3_12::from_raw(0)};
constexpr q3_12 vq[2] = {q3_12::from_raw(2048), q3_12::from_raw(-6000)};
constexpr q3_12 cq = q3_12::from_raw(-7);
constexpr flash_weights<q3_12, 3, 2> wq{mat_view<const q3_12, 2, 3>(Wq), vq, {}, &cq};
static_assert(wf.has_hidden_bias() && wf.has_output_bias(), "flash_weights: both biases given");
static_assert(!wh.has_hidden_bias() && !wh.has_output_bias(), "flash_weights: no biases given");
static_assert(!wq.has_hidden_bias() && wq.has_output_bias(), "flash_weights: the output bias alone");

// A RAM network holding w's values, fed the same inputs as a flash_network on w.
template <class F, class Act>
int constexpr_weights_pass(const flash_weights<F, 3, 2>& w) {
    static network<F, 3, 2, Act> ram;
    for (index_t i = 0; i < 6; ++i) ram.W_mut().flat()[i] = w.W.data()[i];
    for (index_t k = 0; k < 2; ++k) {
        ram.v_mut()[k] = w.v[k];
        ram.hidden_bias_mut()[k] = w.has_hidden_bias() ? w.b[k] : storage_t<F>{};
    }
    ram.use_hidden_bias(w.has_hidden_bias());
    ram.use_output_bias(w.has_output_bias());
    if (w.has_output_bias()) ram.set_output_bias(*w.c);
    flash_network<F, 3, 2, Act> flash(w);
    int equal = 0;
    gaussian_rng g(5);
    for (int s = 0; s < 8; ++s) {
        storage_t<F> x[3];
        for (auto& xi : x) xi = format_traits<F>::from_double(g.next());
        const compute_t<F> a = flash.forward(x), b = ram.forward(x);
        equal += same_bytes(a, b) && same_views(flash.g(), ram.g());
    }
    return equal + (flash.W().data() == w.W.data() ? 1 : 0);
}

TL_TEST(constexpr_arrays_read_in_place) {
    TL_CHECK((constexpr_weights_pass<float, act::tanh>(wf)) == 9);
    TL_CHECK((constexpr_weights_pass<f16, act::erf>(wh)) == 9);
    TL_CHECK((constexpr_weights_pass<q3_12, act::erf>(wq)) == 9);
    // The bit patterns are the ones written (the export's contract for 16-bit and fixed formats).
    TL_CHECK(Wh[2].bits == 0x0001 && Wh[3].bits == 0x7bff && Wq[1].raw == -32768 && cq.raw == -7);
    flash_network<q3_12, 3, 2, act::erf> q(wq);
    TL_CHECK(q.uses_output_bias() && !q.uses_hidden_bias() && q.output_bias().raw == -7);
    TL_CHECK(q.hidden_bias()[0].raw == 0 && q.hidden_bias()[1].raw == 0);
}

// A readout_network from flash weights: first layer in place, readout copied, retrained in RAM.
TL_TEST(readout_starts_from_flash_weights) {
    constexpr index_t M = 16;
    using net_t = network<double, N, P, act::tanh>;
    static net_t ram;
    gaussian_rng g(21);
    init_network(ram, g, second_layer_init::inv_sqrt_p);
    ram.use_hidden_bias(true);
    ram.use_output_bias(true);
    for (auto& bk : ram.hidden_bias_mut()) bk = 0.2 * g.next();
    ram.set_output_bias(0.125);
    static copied_weights<double> store;
    const flash_weights<double, N, P> w = store.copy_of(ram);
    static readout_network<double, N, P, act::tanh> readout(w);
    TL_CHECK(readout.W().data() == store.W && readout.hidden_bias().data() == store.b);
    TL_CHECK(readout.v().data() != store.v && same_views(readout.v(), ram.v()));
    TL_CHECK(readout.uses_output_bias() && readout.output_bias() == 0.125 && readout.uses_hidden_bias());

    static dataset<double, M, N> d;
    tl_test::fill_gaussian(d, g);
    for (index_t i = 0; i < M; ++i) d.y[i] = d.X(i, 0) > 0 ? 1.0 : -1.0;
    TL_CHECK(readout.forward(d.X.view().row(3)) == ram.forward(d.X.view().row(3)));

    const copied_weights<double> before = store;
    readout_gd<double, N, P> gd_flash, gd_ram;
    for (int s = 0; s < 10; ++s) {
        TL_REQUIRE(gd_flash.step(readout, d).ok());
        TL_REQUIRE(gd_ram.step(ram, d).ok());
    }
    TL_CHECK(same_views(readout.v(), ram.v()) && readout.output_bias() == ram.output_bias());
    TL_CHECK(!same_views(readout.v(), vec_view<const double, P>(store.v)));  // it trained
    TL_CHECK(std::memcmp(&before, &store, sizeof store) == 0);              // the arrays did not

    // Without an output bias in the weights, the readout starts with it off.
    const flash_weights<double, N, P> no_c{w.W, w.v, w.b, nullptr};
    static readout_network<double, N, P, act::tanh> plain(no_c);
    TL_CHECK(!plain.uses_output_bias() && plain.output_bias() == 0.0);
}

}  // namespace
