// The two-layer network: N inputs, P hidden units, one output.
//   lambda_k = w_k . x / sqrt(N) (+ b_k),   yhat = sum_k v_k g(lambda_k) (+ c)
// network<F, N, P, Act> owns every byte it uses (weights and the forward cache) inside the object;
// network_ref is the same thing as views, the currency of kernels and trainers, so the host can
// run any N and P at run time on storage it owns.
// F is the number format (format/traits.hpp): weights, biases and inputs are stored in
// S = storage_t<F>; pre-activations, activations, the output and the backward signal are computed
// and cached in C = compute_t<F>. For float and double both are the type itself. (S and C mean
// the same in every header of the library.)
// Every function that takes "a network" accepts the network itself or a network_ref, and every
// sample a vec_view (static or dynamic extent) or a plain array S[N].
#pragma once
#include <cstdint>
#include <limits>

#include "twolayer/core/math.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/format/check.hpp"
#include "twolayer/kernels/default_arch.hpp"
#include "twolayer/model/activation.hpp"

namespace twolayer {

// The scalars of a network and its hidden state.
//   output_bias, yhat: the output bias c and the last output (plain data).
//   Which biases the network uses: hidden_bias_on(), output_bias_on(); set by use_hidden_bias()
//   and use_output_bias().
//   w_absmax_bound(): a conservative upper bound on max |W_kj| that lets the guarded SGD step prove
//   an update finite in O(N + P) instead of an extra pass over W (negative: unknown, recomputed
//   when needed).
//   The pre-activations computed ahead: the forward cache's lambda may hold the pre-activations
//   (bias included), under the current W and b, of the sample kept in the network's copy
//   (network_ref::x_ahead), computed by the kernels of the arch named by lambda_ahead_arch();
//   only the fused SGD step sets them (online_sgd::step with a next sample).
// The hidden state changes only through the member functions below, which every writer calls:
// weights_changed() after any write of W (network::W_mut, init, convert, network_ref's users),
// forget_lambda_ahead() after a write of b or of the forward cache, and the setters the trainers
// call after a checked write.
template <class F>
class network_head {
    using C = compute_t<F>;

public:
    storage_t<F> output_bias{};  // c
    C yhat = C(0);               // the output of the last forward pass

    bool hidden_bias_on() const { return hidden_bias_on_; }
    bool output_bias_on() const { return output_bias_on_; }
    // The hidden biases enter lambda: switching them drops the pre-activations computed ahead.
    void use_hidden_bias(bool on) {
        forget_lambda_ahead();
        hidden_bias_on_ = on;
    }
    void use_output_bias(bool on) { output_bias_on_ = on; }

    // W (or b) was written by someone who proved no bound: forget the bound on |W| and the
    // pre-activations computed ahead.
    void weights_changed() {
        w_absmax_bound_ = C(-1);
        lambda_ahead_ = false;
    }
    // lambda no longer holds the pre-activations of the marked sample (b written, lambda
    // overwritten by a forward pass, or a step that moves W).
    void forget_lambda_ahead() { lambda_ahead_ = false; }

    // The bound on max |W_kj|; negative when unknown.
    C w_absmax_bound() const { return w_absmax_bound_; }
    // After a trainer's checked write of W: the bound it proved for the new W.
    void set_w_absmax_bound(C bound) { w_absmax_bound_ = bound; }

    // Whether lambda holds pre-activations computed ahead (of the sample in x_ahead), and the
    // arch_id() of the arch whose kernels computed them.
    bool lambda_ahead() const { return lambda_ahead_; }
    const void* lambda_ahead_arch() const { return lambda_ahead_arch_; }
    // The pre-activations serve one step at most, and only a step on the arch that computed them
    // (another arch's kernels may round differently): returns whether they were marked for the
    // arch with this arch_id(), and clears the mark.
    bool take_lambda_ahead(const void* arch) {
        const bool ahead = lambda_ahead_ && lambda_ahead_arch_ == arch;
        lambda_ahead_ = false;
        return ahead;
    }
    // The fused step wrote into lambda the pre-activations of the sample it copied to x_ahead,
    // with the kernels of the arch with this arch_id().
    void set_lambda_ahead(const void* arch) {
        lambda_ahead_arch_ = arch;
        lambda_ahead_ = true;
    }

private:
    C w_absmax_bound_ = C(-1);
    const void* lambda_ahead_arch_ = nullptr;
    bool lambda_ahead_ = false;
    bool hidden_bias_on_ = false;
    bool output_bias_on_ = false;
};

namespace detail {
// One object per arch tag, whose address names the tag (arch_id).
template <class Arch>
inline constexpr char arch_key = 0;
}  // namespace detail

// A name for the arch tag Arch, distinct for distinct tags (the address of an object per tag):
// what network_head records with the pre-activations computed ahead.
template <class Arch>
constexpr const void* arch_id() {
    return &detail::arch_key<Arch>;
}

// A network as views: the weights, the forward cache and a pointer to the head, with static or
// run-time extents N and P. What kernels and trainers work on; copying one copies the views, not
// the network. A static reference converts to a dynamic one, so host code can be written once for
// any size. Code that writes W or b through a reference calls weights_changed() afterwards.
// The buffers must be aligned for their element type (alignof(S) for W, v, b and x_ahead,
// alignof(C) for the cache): the kernels load them as S or C, NEON and Helium with element
// alignment, the Cortex-M LDM/VLDM loops with word alignment (a float's); trainers refuse other
// buffers with step_status::misaligned_buffer, and views whose sizes disagree with
// step_status::size_mismatch (sizes_agree, aligned).
template <class F, index_t N, index_t P, class Act>
struct network_ref {
    using format = F;
    using S = storage_t<F>;
    using C = compute_t<F>;
    using value_type = S;
    using compute_type = C;
    using activation = Act;
    static constexpr index_t n_extent = N;
    static constexpr index_t p_extent = P;

    mat_view<S, P, N> W;       // first layer, row k = w_k
    vec_view<S, P> v;          // second layer
    vec_view<S, P> b;          // hidden biases (used when head->hidden_bias_on())
    vec_view<C, P> lambda;     // forward cache: pre-activations
    vec_view<C, P> g;          // forward cache: g(lambda)
    vec_view<C, P> delta;      // backward cache: d yhat / d lambda_k = v_k g'(lambda_k)
    network_head<F>* head = nullptr;
    // The copy of the sample whose pre-activations the fused SGD step computed ahead (N values;
    // a network has it for float and double, is_native_v). Without it (data() null) the fused
    // step computes the same results but nothing ahead that a later step could use.
    vec_view<S, N> x_ahead;

    network_ref() = default;
    network_ref(mat_view<S, P, N> W_, vec_view<S, P> v_, vec_view<S, P> b_, vec_view<C, P> lambda_,
                vec_view<C, P> g_, vec_view<C, P> delta_, network_head<F>* head_, vec_view<S, N> x_ahead_ = {})
        : W(W_), v(v_), b(b_), lambda(lambda_), g(g_), delta(delta_), head(head_), x_ahead(x_ahead_) {}
    // A static reference converts to a dynamic one (host code written once for any size).
    template <index_t N2, index_t P2>
    network_ref(const network_ref<F, N2, P2, Act>& o)
        : W(o.W), v(o.v), b(o.b), lambda(o.lambda), g(o.g), delta(o.delta), head(o.head), x_ahead(o.x_ahead) {}

    index_t inputs() const { return W.cols(); }  // N
    index_t hidden() const { return W.rows(); }  // P
    // The views agree: W is P x N with P, N >= 1, v, b and the cache have P values, x_ahead is
    // absent or has N, there is a head, and N is within the format's dot length (a Q4.27 dot of
    // more than 131,071 products could overflow its accumulator: format_traits::max_dot_length).
    // Always true of a network's own reference (a static N past the dot length does not
    // compile); a dynamic reference assembled by hand may fail it (trainers then return
    // size_mismatch).
    bool sizes_agree() const {
        const index_t n = W.cols(), p = W.rows();
        return head != nullptr && n >= 1 && p >= 1 && dot_length_fits<F>(std::uint64_t(n)) && v.size() == p &&
               b.size() == p && lambda.size() == p && g.size() == p && delta.size() == p &&
               (x_ahead.data() == nullptr || x_ahead.size() == n);
    }
    // Every buffer aligned for its element type (is_aligned, core/view.hpp).
    bool aligned() const {
        return is_aligned(W) && is_aligned(v) && is_aligned(b) && is_aligned(lambda) && is_aligned(g) &&
               is_aligned(delta) && is_aligned(x_ahead);
    }
    // W or b was written through this reference: forget the bound on |W| and any pre-activations
    // computed ahead by a fused SGD step (network_head::weights_changed).
    void weights_changed() const { head->weights_changed(); }
};

template <class F, index_t N, index_t P, class Act>
class network;
template <class F, index_t N, index_t P, class Act>
class lookahead_network;

// Functions take a network or a network_ref: to_ref gives the reference of either, is_network_v
// tells whether Net is one of them, ref_of_t is the reference type and format_of_t its format.
template <class F, index_t N, index_t P, class Act>
network_ref<F, N, P, Act> to_ref(network<F, N, P, Act>& net) { return net.ref(); }
template <class F, index_t N, index_t P, class Act>
const network_ref<F, N, P, Act>& to_ref(const network_ref<F, N, P, Act>& r) { return r; }

namespace detail {
template <class Net>
struct network_like : std::false_type {};
template <class F, index_t N, index_t P, class Act>
struct network_like<network<F, N, P, Act>> : std::true_type {};
template <class F, index_t N, index_t P, class Act>
struct network_like<network_ref<F, N, P, Act>> : std::true_type {};
}  // namespace detail

template <class Net>
inline constexpr bool is_network_v = detail::network_like<std::remove_cv_t<std::remove_reference_t<Net>>>::value;
template <class Net>
using ref_of_t = std::decay_t<decltype(to_ref(std::declval<Net&>()))>;
template <class Net>
using format_of_t = typename ref_of_t<Net>::format;

// The reference of a network that is only read (convert_network's source, order parameters):
// also from a const network. Nothing is written through it.
template <class F, index_t N, index_t P, class Act>
network_ref<F, N, P, Act> read_ref(const network<F, N, P, Act>& net) {
    return const_cast<network<F, N, P, Act>&>(net).ref();
}
template <class F, index_t N, index_t P, class Act>
const network_ref<F, N, P, Act>& read_ref(const network_ref<F, N, P, Act>& r) { return r; }

// 1/sqrt(N) in C, the scale of every pre-activation.
template <class C>
inline C inv_sqrt(index_t n) {
    return C(1) / math::sqrt(C(n));
}

// The forward pass from its pre-activations: lambda (bias included) in the cache, fills g,
// stores and returns yhat. (The second half of forward(); the fused SGD step starts here.)
template <class F, index_t N, index_t P, class Act, class Arch = arch::default_arch>
compute_t<F> forward_from_lambda(const network_ref<F, N, P, Act>& net, Arch arch = {}) {
    using C = compute_t<F>;
    activate(Act{}, vec_view<const C, P>(net.lambda), net.g, arch);
    C y(net.head->output_bias_on() ? value_of<F>(net.head->output_bias) : C(0));
    for (index_t k = 0; k < net.hidden(); ++k) y += value_of<F>(net.v[k]) * net.g[k];
    net.head->yhat = y;
    return y;
}

// lambda_k += b_k when the network uses hidden biases.
template <class F, index_t N, index_t P, class Act>
void add_hidden_bias(const network_ref<F, N, P, Act>& net) {
    if (!net.head->hidden_bias_on()) return;
    for (index_t k = 0; k < net.hidden(); ++k) net.lambda[k] = net.lambda[k] + value_of<F>(net.b[k]);
}

namespace detail {
// Whether x suits net for a forward pass (and a step): net's views agree, x has net.inputs()
// values, and every buffer is aligned; what forward() checks and the trainers report as
// step_status::size_mismatch or misaligned_buffer.
template <class F, index_t N, index_t P, class Act, index_t EX>
bool sizes_fit(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, EX> x) {
    return net.sizes_agree() && x.size() == net.inputs();
}
template <class F, index_t N, index_t P, class Act, index_t EX>
bool buffers_aligned(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, EX> x) {
    return net.aligned() && is_aligned(x);
}

// The forward pass without the checks (the trainers check once per step).
template <class F, index_t N, index_t P, class Act, index_t EX, class Arch>
compute_t<F> forward_pass(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, EX> x, Arch arch) {
    static_assert(EX == dynamic_extent || N == dynamic_extent || EX == N,
                  "forward: the sample has a different number of inputs than the network");
    using S = storage_t<F>;
    using C = compute_t<F>;
    net.head->forget_lambda_ahead();  // lambda is overwritten
    const mat_view<const S, P, N> W(net.W);
    if (net.head->hidden_bias_on()) {
        gemv_bias(W, x, vec_view<const S, P>(net.b), net.lambda, inv_sqrt<C>(net.inputs()), arch);
    } else {
        gemv(W, x, net.lambda, inv_sqrt<C>(net.inputs()), arch);
    }
    return forward_from_lambda(net, arch);
}

// The forward pass after the checks: NaN, and nothing written, when x does not suit net.
template <class F, index_t N, index_t P, class Act, index_t EX, class Arch>
compute_t<F> checked_forward(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, EX> x, Arch arch) {
    using C = compute_t<F>;
    static_assert(std::numeric_limits<C>::has_quiet_NaN, "forward: the compute type has no NaN to report with");
    if (!sizes_fit(net, x) || !buffers_aligned(net, x)) return std::numeric_limits<C>::quiet_NaN();
    return forward_pass(net, x, arch);
}
}  // namespace detail

// Forward pass of net (a network or a network_ref) on sample x (a vec_view or an array of S):
// fills lambda and g, stores and returns yhat. Drops pre-activations computed ahead. A sample of
// another static size does not compile; when sizes are dynamic, a sample of another size than
// net.inputs(), a reference whose views disagree (network_ref::sizes_agree) or a buffer not
// aligned for its element type makes it return NaN and write nothing.
template <class Net, class X, class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_vector_like_v<X>, int> = 0>
compute_t<format_of_t<Net>> forward(Net&& net, const X& x, Arch arch = {}) {
    static_assert(std::is_same<element_of_t<X>, storage_t<format_of_t<Net>>>::value,
                  "forward: the sample's element type is not the network's storage type");
    return detail::checked_forward(to_ref(net), as_const_view(x), arch);
}

// Backward signal after forward: delta_k = d yhat / d lambda_k = v_k g'(lambda_k).
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
void backward_signal(Net&& n) {
    const auto& net = to_ref(n);
    using F = format_of_t<Net>;
    using Act = typename ref_of_t<Net>::activation;
    // The views as local copies: a store to delta could alias the network_ref's own members, so
    // through `net` the compiler reloads every pointer after each store (2 instructions per unit
    // on the Cortex-M4, docs/BENCHMARKS.md).
    const auto v = net.v, lambda = net.lambda, g = net.g;
    const auto delta = net.delta;
    for (index_t k = 0; k < net.hidden(); ++k) {
        delta[k] = value_of<F>(v[k]) * d1_cached<Act>(lambda[k], g[k]);  // the bits of d1
    }
}

// Owning network: N inputs, P hidden units, activation Act, number format F. Sizes are template
// parameters; the object holds the weights, the forward cache and the head (no heap). Starts with
// W = 0, v = 1, biases 0 and off; see init.hpp for initializations. It keeps no copy of a next
// sample: the fused SGD step needs lookahead_network (below), which does.
template <class F, index_t N, index_t P, class Act = act::erf>
class network {
    static_assert(N >= 1, "twolayer::network<F, N, P>: N (inputs) must be at least 1");
    static_assert(P >= 1, "twolayer::network<F, N, P>: P (hidden units) must be at least 1");
    // A format missing a trait member stops here, with the member named (format/check.hpp).
    static_assert(require_format<F>::value, "twolayer::network<F, N, P>: F is not a complete number format");
    static_assert(format_traits<F>::max >= 4.0,
                  "twolayer::network<F, N, P>: the format must hold values up to at least 4 (Gaussian "
                  "inputs and weights); for 16/32-bit fixed point use q3_12 / q4_27, not q15 / q31");
    // Sizes the target cannot hold. W is one array of P N values (core/storage.hpp): P * N must
    // not wrap in index_t (on a 32-bit target network<float, 65536, 65537> would get a W of 65,536
    // floats) and its bytes must fit ptrdiff_t.
    static constexpr bool w_fits = N == 0 || P == 0 || storage_fits<storage_t<F>>(P, N);
    static_assert(w_fits, "twolayer::network<F, N, P>: P * N weights do not fit in memory: the count wraps in "
                          "index_t or its bytes exceed ptrdiff_t");
    // Every pre-activation is a dot product of N terms: in fixed point an exact int64 sum, which
    // overflows (undefined behaviour) past format_traits<F>::max_dot_length terms (q4_27: 131071).
    static_assert(N <= max_dot_length_v<F>,
                  "twolayer::network<F, N, P>: N exceeds max_dot_length_v<F>: a dot product of N inputs could "
                  "overflow the format's int64 accumulator (q4_27 / q31: at most 131071 inputs)");

    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    using format = F;
    using value_type = S;
    using compute_type = C;
    using activation = Act;
    using ref_type = network_ref<F, N, P, Act>;
    static constexpr index_t inputs() { return N; }
    static constexpr index_t hidden() { return P; }
    // W, v, the hidden biases and c (whether or not the biases are used).
    static constexpr index_t parameter_count() { return P * N + 2 * P + 1; }

    network() {
        fill(W_.view().flat(), S{});
        fill(v_.view(), store_as<F>(C(1)));
        fill(b_.view(), S{});
        fill(lambda_.view(), C(0));
        fill(g_.view(), C(0));
        fill(delta_.view(), C(0));
    }

    // The network as views with static extents (what to_ref gives; free to make).
    ref_type ref() { return ref_with({}); }

    // Read access: parameters, the forward cache of the last forward pass, which biases are used.
    mat_view<const S, P, N> W() const { return W_.view(); }
    vec_view<const S, P> v() const { return v_.view(); }
    vec_view<const S, P> hidden_bias() const { return b_.view(); }
    S output_bias() const { return head_.output_bias; }
    vec_view<const C, P> lambda() const { return lambda_.view(); }
    vec_view<const C, P> g() const { return g_.view(); }
    C output() const { return head_.yhat; }
    bool uses_hidden_bias() const { return head_.hidden_bias_on(); }
    bool uses_output_bias() const { return head_.output_bias_on(); }

    // Write access. W_mut() forgets the trainers' bound on |W| and the pre-activations computed
    // ahead by a fused SGD step (weights_changed); hidden_bias_mut() and use_hidden_bias() forget
    // the latter; v and c do not enter them.
    mat_view<S, P, N> W_mut() {
        head_.weights_changed();
        return W_.view();
    }
    vec_view<S, P> v_mut() { return v_.view(); }
    vec_view<S, P> hidden_bias_mut() {
        head_.forget_lambda_ahead();
        return b_.view();
    }
    void set_output_bias(S c) { head_.output_bias = c; }
    void use_hidden_bias(bool on) { head_.use_hidden_bias(on); }
    void use_output_bias(bool on) { head_.use_output_bias(on); }

    // Forward pass on x (a vec_view or an array of N values of S): twolayer::forward (NaN, and
    // nothing written, for a dynamic view of another size or a misaligned one).
    template <class X, class Arch = arch::default_arch, std::enable_if_t<is_vector_like_v<X>, int> = 0>
    C forward(const X& x, Arch a = {}) {
        static_assert(std::is_same<element_of_t<X>, S>::value,
                      "network::forward: the sample's element type is not the network's storage type");
        const const_view_t<X> xv(x);
        return detail::checked_forward(ref(), xv, a);
    }

protected:
    // The views, with ahead as the copy of the fused step's next sample (none: a null view).
    ref_type ref_with(vec_view<S, N> ahead) {
        return {W_.view(), v_.view(), b_.view(), lambda_.view(), g_.view(), delta_.view(), &head_, ahead};
    }
    // The cache no longer matches a kept copy of x_next (a lookahead_network assigned from a
    // network).
    void drop_lambda_ahead() { head_.forget_lambda_ahead(); }

private:
    // With sizes that do not fit, a 1 x 1 W keeps the static_assert above the only error.
    mat<S, w_fits ? P : 1, w_fits ? N : 1> W_;
    vec<S, P> v_;
    vec<S, P> b_;
    vec<C, P> lambda_;
    vec<C, P> g_;
    vec<C, P> delta_;
    network_head<F> head_;
};

// A network that also keeps the fused SGD step's copy of the next sample (N values of S): the
// step sgd.step(net, x, y, x_next) copies x_next into it, and the next step reuses the
// pre-activations it computed ahead only if its x equals the copy bit for bit (and runs on the
// same arch). The copy exists for float and double, the formats the fused step serves (other
// formats run the separate step; for them this is a plain network, so generic code may use it
// for every format). Everything else is network's; the copy costs N sizeof(S) bytes of RAM, which
// a network that never takes the fused step does not pay.
template <class F, index_t N, index_t P, class Act = act::erf>
class lookahead_network : public network<F, N, P, Act> {
    using base = network<F, N, P, Act>;
    static constexpr bool keeps_copy = is_native_v<F>;

public:
    using ref_type = network_ref<F, N, P, Act>;
    lookahead_network() = default;
    // A copy of a network's weights, biases and cache, with no pre-activations computed ahead.
    explicit lookahead_network(const base& n) : base(n) { this->drop_lambda_ahead(); }
    lookahead_network& operator=(const base& n) {
        base::operator=(n);
        this->drop_lambda_ahead();
        return *this;
    }
    // The network as views, the copy of the next sample included (float and double).
    ref_type ref() {
        if constexpr (keeps_copy) return this->ref_with(x_ahead_.view());
        else return this->ref_with({});
    }

private:
    vec<storage_t<F>, keeps_copy ? N : 1> x_ahead_{};
};

template <class F, index_t N, index_t P, class Act>
network_ref<F, N, P, Act> to_ref(lookahead_network<F, N, P, Act>& net) { return net.ref(); }
template <class F, index_t N, index_t P, class Act>
network_ref<F, N, P, Act> read_ref(const lookahead_network<F, N, P, Act>& net) {
    return const_cast<lookahead_network<F, N, P, Act>&>(net).ref();
}
namespace detail {
template <class F, index_t N, index_t P, class Act>
struct network_like<lookahead_network<F, N, P, Act>> : std::true_type {};
// A network type that can never reuse pre-activations computed ahead: an owning network<> of a
// format the fused step serves (the fused step on it refuses to compile).
template <class Net>
struct keeps_no_lookahead : std::false_type {};
template <class F, index_t N, index_t P, class Act>
struct keeps_no_lookahead<network<F, N, P, Act>> : std::bool_constant<is_native_v<F>> {};
}  // namespace detail

}  // namespace twolayer
