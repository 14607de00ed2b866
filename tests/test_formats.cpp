// Every number format against double: what each format is (resolution, range), forward pass
// and gradients within the tolerance table of test_util.hpp, the rounding policies (stochastic
// rounding unbiased; updates below half a step lost by nearest, kept by stochastic rounding and by
// a master copy), fixed-point saturation counted and never wrapped, and every trainer in every
// format.
#include <cmath>

#include "test_util.hpp"

using namespace twolayer;
using tl_test::format_tolerance;

namespace {

constexpr index_t N = 64, P = 4;

// m = max(m, v). Not std::fmax in a loop: GCC 12 for AArch64 crashes (internal compiler error)
// vectorizing an fmax reduction.
inline void keep_max(double& m, double v) {
    if (v > m) m = v;
}

// Calls f(format_tag<F>{}) for every format the library supports.
template <class Fn>
void for_each_format(Fn&& f) {
    f(format_tag<float>{});
    f(format_tag<f16>{});
    f(format_tag<bf16>{});
    f(format_tag<q3_12>{});
    f(format_tag<q4_27>{});
    f(format_tag<mixed<bf16, double>>{});
    f(format_tag<mixed<q3_12, double>>{});
}

template <class F>
const char* compute_name() { return format_traits<compute_t<F>>::name; }

// The resolution a result can have: the coarser of storage and arithmetic (Q4.27 stores 2^-27
// steps but computes in float).
template <class F>
double effective_resolution() {
    return std::fmax(format_traits<F>::resolution, format_traits<compute_t<F>>::resolution);
}

// A random double network with biases, and the same network converted to F.
template <class F>
bool random_pair(gaussian_rng& g, network<double, N, P, act::erf>& d, network<F, N, P, act::erf>& f) {
    init_network(d, g);
    for (index_t k = 0; k < P; ++k) {
        d.v_mut()[k] = 0.5 * g.next();
        d.hidden_bias_mut()[k] = 0.3 * g.next();
    }
    d.set_output_bias(0.2 * g.next());
    d.use_hidden_bias(true);
    d.use_output_bias(true);
    return convert_network(d, f) == 0;
}

// Worst |error| / tolerance of the forward pass in format F over random networks and inputs.
template <class F>
double forward_worst_ratio() {
    using S = storage_t<F>;
    const double r = effective_resolution<F>(), k = format_tolerance::k_forward;
    gaussian_rng g(101);
    network<double, N, P, act::erf> d;
    network<F, N, P, act::erf> f;
    double x[N];
    S xs[N];
    double worst = 0;
    for (int rep = 0; rep < 30; ++rep) {
        if (!random_pair(g, d, f)) return 1e9;
        for (index_t j = 0; j < N; ++j) xs[j] = format_traits<F>::from_double(x[j] = g.next());
        const double yd = d.forward(x);
        const double yf = double(f.forward(xs));
        double tol_y_from_lambda = 0, rms_out = 0;
        for (index_t kk = 0; kk < P; ++kk) {
            // One term of lambda_k: w x / sqrt N; its scale with the absolute step of fixed point.
            double ms = 0;
            for (index_t j = 0; j < N; ++j) {
                const double w = std::fabs(d.W()(kk, j)), a = std::fabs(x[j]);
                ms += (w * a + w + a) * (w * a + w + a) / double(N);
            }
            const double tol_l = k * r * std::sqrt(double(N)) * std::sqrt(ms / double(N)) + k * r;
            keep_max(worst, std::fabs(double(f.lambda()[kk]) - d.lambda()[kk]) / tol_l);
            const double v = std::fabs(d.v()[kk]);
            tol_y_from_lambda += v * 0.8 * tol_l;  // |g'| <= sqrt(2/pi) < 0.8 for erf
            const double term = v * std::fabs(d.g()[kk]) + v + 1;
            rms_out += term * term / double(P);
        }
        const double tol_y = k * r * std::sqrt(double(P)) * std::sqrt(rms_out) + tol_y_from_lambda;
        keep_max(worst, std::fabs(yf - yd) / tol_y);
    }
    return worst;
}

// Worst |error| / tolerance of the batch gradients (dW, dv, db, dc) in format F.
template <class F>
double gradient_worst_ratio() {
    using S = storage_t<F>;
    using C = compute_t<F>;
    const double r = effective_resolution<F>(), k = format_tolerance::k_gradient;
    gaussian_rng g(102);
    network<double, N, P, act::erf> d;
    network<F, N, P, act::erf> f;
    static gradients<double, N, P> gd;
    static gradients<C, N, P> gf;
    double x[N];
    S xs[N];
    double worst = 0;
    for (int rep = 0; rep < 30; ++rep) {
        if (!random_pair(g, d, f)) return 1e9;
        for (index_t j = 0; j < N; ++j) xs[j] = format_traits<F>::from_double(x[j] = g.next());
        const double yd = d.forward(x);
        const C yf = f.forward(xs);
        const double y = yd + 1;  // dl = yhat - y near -1: the gradient is O(1)
        gd.zero();
        gf.zero();
        accumulate_gradients(d, x, yd - y, gd, arch::scalar{});
        accumulate_gradients(f, xs, C(yf - C(y)), gf, arch::scalar{});
        // Every gradient component is dl times a product of O(1) factors that each carry the
        // forward's errors (fan-in N): one tolerance form with the component's own scale.
        const double fan = k * r * std::sqrt(double(N));
        for (index_t kk = 0; kk < P; ++kk) {
            const double sdel = std::fabs(d.v()[kk]) + 1;
            for (index_t j = 0; j < N; ++j) {
                const double scale = sdel * (std::fabs(x[j]) + 1) / std::sqrt(double(N));
                keep_max(worst, std::fabs(double(gf.dW(kk, j)) - gd.dW(kk, j)) / (fan * scale));
            }
            keep_max(worst, std::fabs(double(gf.dv[kk]) - gd.dv[kk]) / (fan * (std::fabs(d.g()[kk]) + 1)));
            keep_max(worst, std::fabs(double(gf.db[kk]) - gd.db[kk]) / (fan * sdel));
        }
        keep_max(worst, std::fabs(double(gf.dc) - gd.dc) / fan);
    }
    return worst;
}

}  // namespace

TL_TEST(traits_describe_each_format) {
    for_each_format([](auto tag) {
        using F = typename decltype(tag)::type;
        using tr = format_traits<F>;
        const double r = tr::resolution;
        // resolution is the spacing of stored values just above 1; max is stored exactly.
        TL_CHECK(tr::to_double(tr::from_double(1.0 + r)) == 1.0 + r);
        TL_CHECK(tr::to_double(tr::from_double(1.0 + 0.49 * r)) == 1.0);
        TL_CHECK(tr::to_double(tr::from_double(tr::max)) == tr::max);
        TL_CHECK(tr::max >= 4.0);
        TL_INFO("    %s compute %s resolution %.3e  max %.4g\n", tr::name, compute_name<F>(), r, tr::max);
    });
}

TL_TEST(forward_matches_double_within_the_format_tolerance) {
    for_each_format([](auto tag) {
        using F = typename decltype(tag)::type;
        const double w = forward_worst_ratio<F>();
        TL_INFO("    %s (%s): worst error / tolerance %.3f\n", format_traits<F>::name, compute_name<F>(), w);
        TL_CHECK(w <= 1.0);
    });
}

TL_TEST(gradients_match_double_within_the_format_tolerance) {
    for_each_format([](auto tag) {
        using F = typename decltype(tag)::type;
        const double w = gradient_worst_ratio<F>();
        TL_INFO("    %s (%s): worst error / tolerance %.3f\n", format_traits<F>::name, compute_name<F>(), w);
        TL_CHECK(w <= 1.0);
    });
}

TL_TEST(stochastic_rounding_is_unbiased) {
    // The upper neighbour is chosen with probability equal to the fraction covered: 0.3 here,
    // checked within 4 standard errors over 40000 draws, for bf16, f16 (normal and below the
    // smallest subnormal) and fixed-point increments.
    stochastic_rounding sr(7);
    const int n = 40000;
    const double se4 = 4 * std::sqrt(0.3 * 0.7 / n);
    auto freq = [&](auto pick) { int up = 0; for (int i = 0; i < n; ++i) up += pick(); return double(up) / n; };
    const double fb = freq([&] { return sr.to_storage<bf16, float>(1.0f + 0.3f / 128).bits != bf16(1.0).bits; });
    const double fh = freq([&] { return sr.to_storage<f16, float>(-(2.0f + 0.3f / 512)).bits  /* ulp of f16 at 2: 2^-9 */ != f16(-2.0).bits; });
    const double tiny = 0.3 * std::ldexp(1.0, -24);  // 0.3 of f16's smallest subnormal
    const double ft = freq([&] { return sr.to_storage<f16, double>(tiny).bits == 1; });
    const double fq = freq([&] { return sr.to_integer<float>(-5.7f) == -5; });
    TL_INFO("    upper-neighbour frequencies: bf16 %.4f, f16 %.4f, f16 subnormal %.4f, fixed %.4f (expected 0.3)\n",
            fb, fh, ft, fq);
    TL_CHECK(std::fabs(fb - 0.3) < se4);
    TL_CHECK(std::fabs(fh - 0.3) < se4);
    TL_CHECK(std::fabs(ft - 0.3) < se4);
    TL_CHECK(std::fabs(fq - 0.3) < se4);
    // Exactly representable values are never moved.
    int moved = 0;
    for (int i = 0; i < 1000; ++i) moved += sr.to_storage<bf16, float>(1.5f).bits != bf16(1.5).bits;
    TL_CHECK(moved == 0);
}

TL_TEST(updates_below_half_a_step_stall_with_nearest_and_accumulate_with_stochastic) {
    // 10000 updates of 0.3 steps each on a Q3.12 weight and 100 of 0.3 ulp on a bf16 weight at 1.
    round_nearest rn;
    stochastic_rounding sr(11);
    const float qstep = float(q3_12::resolution);
    q3_12 a(0.0), b(0.0);
    for (int i = 0; i < 10000; ++i) {
        a = apply_update<q3_12>(a, 0.3f * qstep, 1.0f, rn);
        b = apply_update<q3_12>(b, 0.3f * qstep, 1.0f, sr);
    }
    TL_INFO("    Q3.12: nearest moved %d steps, stochastic %d (expected 3000 +- 137)\n", int(a.raw), int(b.raw));
    TL_CHECK(a.raw == 0);
    TL_CHECK(std::abs(int(b.raw) - 3000) < 4 * 46);
    bf16 c(1.0), e(1.0);
    for (int i = 0; i < 100; ++i) {
        c = apply_update<bf16>(c, 0.3f / 128, 1.0f, rn);
        e = apply_update<bf16>(e, 0.3f / 128, 1.0f, sr);
    }
    const double ulps = (e.to_double() - 1.0) * 128;
    TL_INFO("    bf16: nearest moved %.0f ulp, stochastic %.0f (expected 30 +- 4.6)\n", (c.to_double() - 1.0) * 128, ulps);
    TL_CHECK(c.to_double() == 1.0);
    TL_CHECK(std::fabs(ulps - 30) < 4 * 4.6);
}

TL_TEST(master_copy_keeps_updates_below_half_a_step) {
    // Online SGD with a tiny learning rate: without a master copy a Q3.12 network does not move
    // at all; with one the stored weights follow the master.
    gaussian_rng g(5);
    network<double, N, P, act::erf> d;
    network<q3_12, N, P, act::erf> plain, with_master;
    init_network(d, g);
    convert_network(d, plain);
    convert_network(d, with_master);
    master_weights<q3_12, N, P> master(with_master);
    const tl_test::weight_snapshot<network<q3_12, N, P, act::erf>> before(plain);
    train_config<float> c;
    c.lr_w = c.lr_v = 5e-5f;  // updates <= 5e-5 |err delta x| / 8 ~ 1e-5: far below 2^-13
    online_sgd<q3_12> s1(c), s2(c);
    tl_test::sample<q3_12, N> s;
    for (int step = 0; step < 4000; ++step) {
        const auto& x = s.draw(g);
        TL_REQUIRE(s1.step(plain, x, 0.5f).ok());
        TL_REQUIRE(s2.step(with_master, master, x, 0.5f).ok());
    }
    int moved = 0;
    for (index_t i = 0; i < N * P; ++i) moved += with_master.W().data()[i] != before.W[i];
    TL_INFO("    without master: unchanged; with master: %d of %zu first-layer weights moved\n", moved, N * P);
    TL_CHECK(before.same_first_layer(plain));
    TL_CHECK(moved > int(N * P) / 4);
    // The stored weights are the master rounded to nearest.
    int off = 0;
    for (index_t i = 0; i < N * P; ++i) off += with_master.W().data()[i] != q3_12(double(master.W().data()[i]));
    TL_CHECK(off == 0);
}

TL_TEST(batch_trainers_take_the_master_copy_per_call) {
    // The same for full-batch GD and mini-batch SGD: the master is an argument of the call.
    constexpr index_t M = 8;
    gaussian_rng g(6);
    network<double, N, P, act::erf> d;
    static network<q3_12, N, P, act::erf> plain, with_master;
    init_network(d, g);
    convert_network(d, plain);
    convert_network(d, with_master);
    static master_weights<q3_12, N, P> master(with_master);
    static dataset<q3_12, M, N> data;
    for (index_t mu = 0; mu < M; ++mu) {
        for (index_t j = 0; j < N; ++j) data.X(mu, j) = q3_12(g.next());
        data.y[mu] = q3_12(0.5);
    }
    const tl_test::weight_snapshot<network<q3_12, N, P, act::erf>> before(plain);
    train_config<float> c;
    c.lr_w = c.lr_v = 5e-5f;  // far below half a step of Q3.12 per update
    static gd_trainer<q3_12, N, P> g1(c), g2(c);
    for (int step = 0; step < 300; ++step) {
        TL_REQUIRE(g1.full_batch(plain, data).ok());
        TL_REQUIRE(g1.minibatch(plain, data, 3, 4).ok());
        TL_REQUIRE(g2.full_batch(with_master, master, data).ok());
        TL_REQUIRE(g2.minibatch(with_master, master.ref(), data, 3, 4).ok());
    }
    int moved = 0, off = 0;
    for (index_t i = 0; i < N * P; ++i) {
        moved += with_master.W().data()[i] != before.W[i];
        off += with_master.W().data()[i] != q3_12(double(master.W().data()[i]));
    }
    TL_INFO("    GD without master: unchanged; with master: %d of %zu first-layer weights moved\n", moved, N * P);
    TL_CHECK(before.same_first_layer(plain));
    TL_CHECK(moved > 0);
    TL_CHECK(off == 0);
}

TL_TEST(fixed_point_inputs_saturate_counted_never_wrap) {
    q3_12::counters() = {};
    q3_12 x[N];
    for (index_t j = 0; j < N; ++j) x[j] = q3_12(j % 2 ? 1e6 : -1e6);  // far outside [-8, 8)
    TL_CHECK(q3_12::counters().saturations == N);
    for (index_t j = 0; j < N; ++j) TL_CHECK(x[j].raw == (j % 2 ? q3_12::raw_max : q3_12::raw_min));
    // The network runs on saturated inputs and stays finite.
    gaussian_rng g(9);
    network<double, N, P, act::erf> d;
    network<q3_12, N, P, act::erf> f;
    init_network(d, g);
    convert_network(d, f);
    TL_CHECK(math::isfinite(f.forward(x)));
    // A step that would push a weight out of the range is refused, and nothing changes.
    train_config<float> c;
    c.lr_w = 1e4f;
    online_sgd<q3_12> sgd(c);
    const tl_test::weight_snapshot<network<q3_12, N, P, act::erf>> before(f);
    const step_result<float> r = sgd.step(f, x, 3.0f);
    TL_INFO("    oversized step: %s\n", to_string(r.status));
    TL_CHECK(r.status == step_status::range_exceeded);
    TL_CHECK(before.same_as(f));
    TL_CHECK(q3_12::counters().saturations == N);  // training itself never saturated
}

TL_TEST(every_trainer_trains_in_every_format) {
    // Full-batch GD on a small fixed dataset (labels from a double teacher) lowers the training
    // loss in every format, with round-to-nearest and with stochastic rounding.
    for_each_format([](auto tag) {
        using F = typename decltype(tag)::type;
        using S = storage_t<F>;
        using C = compute_t<F>;
        constexpr index_t M = 32;
        tl_test::teacher_student<double, N, P, 2> f(21);
        static dataset<S, M, N> data;
        for (index_t mu = 0; mu < M; ++mu) {
            const auto& x = f.draw();
            for (index_t j = 0; j < N; ++j) data.X(mu, j) = format_traits<F>::from_double(x[j]);
            data.y[mu] = format_traits<F>::from_double(f.teacher.forward(x));
        }
        static network<F, N, P, act::erf> a, b;
        convert_network(f.student, a);
        convert_network(f.student, b);
        train_config<C> c;
        c.lr_w = c.lr_v = C(4);  // teacher-student scaling: v moves at lr / N
        static gd_trainer<F, N, P> nearest(c);
        static gd_trainer<F, N, P, squared_loss, stochastic_rounding> stochastic(c, squared_loss{}, stochastic_rounding(3));
        const double l0 = double(mean_loss(a, data));
        bool ok = true;
        for (int step = 0; step < 100; ++step) {
            ok = ok && nearest.full_batch(a, data).ok();
            ok = ok && stochastic.full_batch(b, data).ok();
        }
        const double la = double(mean_loss(a, data)), lb = double(mean_loss(b, data));
        TL_INFO("    %s (%s): training loss %.3e -> %.3e (nearest), %.3e (stochastic)\n", format_traits<F>::name,
                compute_name<F>(), l0, la, lb);
        TL_CHECK(ok);
        TL_CHECK(la < 0.5 * l0);
        TL_CHECK(lb < 0.5 * l0);
    });
}

TL_TEST(half_to_float_exact_for_all_65536_patterns) {
    // The arithmetic path's decoding (field moves) against the reference decoding through double.
    int bad = 0;
    for (std::uint32_t b = 0; b < 65536; ++b) {
        const f16 h = f16::from_bits(std::uint16_t(b));
        const bf16 k = bf16::from_bits(std::uint16_t(b));
        const float fh = format_traits<f16>::to<float>(h), fk = format_traits<bf16>::to<float>(k);
        const float rh = float(h.to_double()), rk = float(k.to_double());
        bad += h.is_nan() ? !(fh != fh) : std::memcmp(&fh, &rh, 4) != 0;
        bad += k.is_nan() ? !(fk != fk) : std::memcmp(&fk, &rk, 4) != 0;
    }
    TL_CHECK(bad == 0);
}

TL_TEST(half_from_float_equals_rounding_from_double) {
    // The float path (32-bit integer work) against the double path: every 65536th float pattern
    // and, for each f16 / bf16 value, the float midpoints to its successor and their neighbours
    // (the ties and near-ties where rounding is decided).
    int bad = 0;
    auto same = [&](float f) {
        bad += f16(f).bits != f16(double(f)).bits;
        bad += bf16(f).bits != bf16(double(f)).bits;
    };
    for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += 65521) {
        float f;
        const std::uint32_t u = std::uint32_t(b);
        std::memcpy(&f, &u, 4);
        if (f == f) same(f);
    }
    for (std::uint32_t h = 0; h < 0x7c00; ++h) {
        const double lo = f16::from_bits(std::uint16_t(h)).to_double(), hi = f16::from_bits(std::uint16_t(h + 1)).to_double();
        const float mid = float(0.5 * (lo + hi));  // exact: 12 significant bits
        same(mid);
        same(std::nextafter(mid, 0.0f));
        same(std::nextafter(mid, 1e30f));
        same(-mid);
    }
    for (std::uint32_t h = 0; h < 0x7f80; ++h) {
        const double lo = bf16::from_bits(std::uint16_t(h)).to_double(), hi = bf16::from_bits(std::uint16_t(h + 1)).to_double();
        const float mid = float(0.5 * (lo + hi));  // exact: 9 significant bits (or subnormal)
        same(mid);
        same(std::nextafter(mid, 0.0f));
        same(std::nextafter(mid, 1e38f));
        same(-mid);
    }
    TL_CHECK(bad == 0);
}
