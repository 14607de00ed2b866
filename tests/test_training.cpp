// Training: online SGD against a teacher, full-batch GD to near-zero training loss, mini-batch
// SGD, weight decay, freezing, per-layer rates and the schedule hook.
#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 40, P = 4, PT = 2;

// One online run: erf student (P = 4) learns an erf teacher (P* = 2), both layers trained.
template <class T>
void online_teacher_student(double& before, double& after) {
    tl_test::teacher_student<T, N, P, PT> f(2024);
    // small initial student weights: the classic start from the symmetric plateau
    for (auto& w : f.student.W_mut().flat()) w = T(w * T(0.3));

    gaussian_rng test_inputs(99);
    before = tl_test::mc_generalization_error(f.student, f.teacher, test_inputs, 2000);

    train_config<T> c;
    c.lr_w = T(1);
    c.lr_v = T(1);
    online_sgd<T> sgd(c);
    for (index_t step = 0; step < 400 * N; ++step) {
        const auto& x = f.draw();
        const T y = f.teacher.forward(x);
        if (!sgd.step(f.student, x, y)) break;
    }
    TL_CHECK(sgd.steps() == 400 * N);
    TL_CHECK(sgd.rejected() == 0);
    gaussian_rng test_inputs2(99);
    after = tl_test::mc_generalization_error(f.student, f.teacher, test_inputs2, 2000);
}

template <class T>
void full_batch_to_zero() {
    constexpr index_t M = 24, NN = 8, PW = 48;
    gaussian_rng g(7);
    dataset<T, M, NN> data;
    tl_test::fill_gaussian(data, g);
    for (index_t mu = 0; mu < M; ++mu) data.y[mu] = data.X(mu, 0) > T(0) ? T(1) : T(-1);  // a nonlinear target
    network<T, NN, PW, act::tanh> student;
    init_network(student, g, second_layer_init::inv_sqrt_p);

    train_config<T> c;
    c.scaling = lr_scaling::plain;
    c.lr_w = T(0.2);  // 0.5 diverges (the guard then refuses the overflowing step)
    c.lr_v = T(0.2);
    gd_trainer<T, NN, PW> gd(c);
    const T initial = mean_loss(student, data);
    step_result<T> r;
    for (int epoch = 0; epoch < 1000; ++epoch) {
        r = gd.full_batch(student, data);
        if (!r) break;
    }
    const T final_loss = mean_loss(student, data);
    TL_INFO("    full-batch GD (%s): training loss %.3e -> %.3e\n", format_traits<T>::name, double(initial),
            double(final_loss));
    TL_CHECK(r.ok());
    TL_CHECK(initial > T(0.3));
    TL_CHECK(final_loss < T(1e-3));
}

}  // namespace

TL_TEST(online_sgd_learns_teacher_double) {
    double before, after;
    online_teacher_student<double>(before, after);
    TL_INFO("    online SGD (double): eps_g %.4f -> %.4e\n", before, after);
    TL_CHECK(after < before / 20);
}

TL_TEST(online_sgd_learns_teacher_float) {
    double before, after;
    online_teacher_student<float>(before, after);
    TL_INFO("    online SGD (float): eps_g %.4f -> %.4e\n", before, after);
    TL_CHECK(after < before / 20);
}

TL_TEST(full_batch_gd_fits_training_set_double) { full_batch_to_zero<double>(); }
TL_TEST(full_batch_gd_fits_training_set_float) { full_batch_to_zero<float>(); }

TL_TEST(minibatch_sgd_lowers_loss) {
    constexpr index_t M = 64, NN = 10, PS = 8;
    gaussian_rng g(5);
    network<double, NN, 2, act::erf> teacher;
    init_network(teacher, g);
    dataset<double, M, NN> data;
    tl_test::fill_gaussian(data, g);
    for (index_t mu = 0; mu < M; ++mu) data.y[mu] = teacher.forward(data.sample(mu));
    network<double, NN, PS, act::erf> student;
    init_network(student, g, second_layer_init::inv_p);
    train_config<double> c;
    c.lr_w = 0.5;
    c.lr_v = 5;
    gd_trainer<double, NN, PS> sgd(c);
    const double initial = mean_loss(student, data);
    index_t order[M];
    for (index_t i = 0; i < M; ++i) order[i] = i;
    for (int epoch = 0; epoch < 300; ++epoch) {
        for (index_t i = M - 1; i > 0; --i) {  // Fisher-Yates with the library's generator
            const index_t j = g.uniform().below(std::uint32_t(i + 1));
            const index_t t = order[i]; order[i] = order[j]; order[j] = t;
        }
        for (index_t first = 0; first < M; first += 8) TL_REQUIRE(sgd.on_indices(student, data, order + first, 8).ok());
    }
    const double final_loss = mean_loss(student, data);
    TL_INFO("    mini-batch SGD: training loss %.3e -> %.3e\n", initial, final_loss);
    TL_CHECK(final_loss < initial / 10);
    TL_CHECK(sgd.minibatch(student, data, M - 3, 8).ok());  // wraps around the end
}

TL_TEST(weight_decay_scales_weights_exactly_when_error_is_zero) {
    gaussian_rng g(3);
    network<double, N, P, act::tanh> net;
    init_network(net, g);
    tl_test::sample<double, N> s;
    const auto& x = s.draw(g);
    const double y = net.forward(x);  // zero error: only the decay acts
    tl_test::weight_snapshot<decltype(net)> before(net);
    train_config<double> c;
    c.lr_w = 0.5;
    c.lr_v = 0.5;
    c.weight_decay_w = 0.1;
    c.weight_decay_v = 0.2;
    c.scaling = lr_scaling::plain;
    online_sgd<double> sgd(c);
    TL_REQUIRE(sgd.step(net, x, y).ok());
    for (index_t i = 0; i < N * P; ++i) TL_CHECK(net.W().data()[i] == 0.95 * before.W[i]);
    for (index_t k = 0; k < P; ++k) TL_CHECK(net.v()[k] == 0.9 * before.v[k]);
}

TL_TEST(frozen_layers_stay_bit_identical) {
    gaussian_rng g(4);
    network<float, N, P, act::relu> net;
    init_network(net, g);
    tl_test::sample<float, N> x;
    train_config<float> c;
    c.train_w = false;  // last-layer retraining
    online_sgd<float> last_layer(c);
    tl_test::weight_snapshot<decltype(net)> s0(net);
    for (int i = 0; i < 50; ++i) TL_REQUIRE(last_layer.step(net, x.draw(g), 1.0f).ok());
    TL_CHECK(s0.same_first_layer(net));
    TL_CHECK(!s0.same_second_layer(net));

    c.train_w = true;
    c.train_v = false;  // committee machine
    online_sgd<float> first_layer(c);
    tl_test::weight_snapshot<decltype(net)> s1(net);
    for (int i = 0; i < 50; ++i) TL_REQUIRE(first_layer.step(net, x.draw(g), 1.0f).ok());
    TL_CHECK(!s1.same_first_layer(net));
    TL_CHECK(s1.same_second_layer(net));
}

namespace {
double halve_after_ten(std::uint64_t step, void* calls) {
    ++*static_cast<int*>(calls);
    return step < 10 ? 1.0 : 0.5;
}
}  // namespace

TL_TEST(schedule_hook_scales_every_rate) {
    // Two identical networks: one with the hook halving the rates from step 10, one whose
    // configured rates are halved by hand from step 10. The weights must agree bit for bit.
    tl_test::network_pair<double, N, P> nets(8);
    gaussian_rng data(9);
    int calls = 0;
    train_config<double> ca;
    ca.lr_w = 0.8; ca.lr_v = 0.4;
    ca.schedule = &halve_after_ten;
    ca.schedule_ctx = &calls;
    train_config<double> cb = ca;
    cb.schedule = nullptr;
    online_sgd<double> sa(ca), sb(cb);
    tl_test::sample<double, N> s;
    for (int step = 0; step < 20; ++step) {
        const auto& x = s.draw(data);
        if (step == 10) { sb.config.lr_w = 0.4; sb.config.lr_v = 0.2; }
        TL_REQUIRE(sa.step(nets.a, x, 0.5).ok());
        TL_REQUIRE(sb.step(nets.b, x, 0.5).ok());
    }
    TL_CHECK(calls == 20);
    TL_CHECK(std::memcmp(nets.a.W().data(), nets.b.W().data(), sizeof(double) * N * P) == 0);
    TL_CHECK(std::memcmp(nets.a.v().data(), nets.b.v().data(), sizeof(double) * P) == 0);
}

TL_TEST(teacher_student_scaling_divides_second_layer_rate_by_n) {
    tl_test::network_pair<double, N, P> nets(10);
    tl_test::sample<double, N> s;
    const auto& x = s.draw(nets.rng);
    train_config<double> ts;
    ts.lr_v = 2.0;
    ts.train_w = false;
    train_config<double> plain = ts;
    plain.scaling = lr_scaling::plain;
    plain.lr_v = 2.0 / N;
    online_sgd<double> s1(ts), s2(plain);
    TL_REQUIRE(s1.step(nets.a, x, 1.0).ok());
    TL_REQUIRE(s2.step(nets.b, x, 1.0).ok());
    for (index_t k = 0; k < P; ++k) TL_CHECK_NEAR(nets.a.v()[k], nets.b.v()[k], 1e-15);
}

TL_TEST(biases_train_and_logistic_loss_classifies) {
    constexpr index_t NN = 6, PS = 8;
    gaussian_rng g(12);
    network<float, NN, PS, act::tanh> net;
    init_network(net, g, second_layer_init::inv_sqrt_p);
    net.use_hidden_bias(true);
    net.use_output_bias(true);
    train_config<float> c;
    c.scaling = lr_scaling::plain;
    c.lr_w = 0.1f; c.lr_v = 0.1f; c.lr_b = 0.1f;
    online_sgd<float, logistic_loss> sgd(c);
    tl_test::sample<float, NN> s;
    // Shifted linear rule: the output bias must move for the classes to separate.
    auto label = [&]() { return s.x[0] + s.x[1] > 1.0f ? 1.0f : -1.0f; };
    for (int i = 0; i < 20000; ++i) {
        const auto& x = s.draw(g);
        TL_REQUIRE(sgd.step(net, x, label()).ok());
    }
    int correct = 0;
    for (int i = 0; i < 1000; ++i) correct += (net.forward(s.draw(g)) > 0.0f) == (label() > 0.0f);
    TL_INFO("    logistic classifier accuracy %d / 1000, output bias %.3f\n", correct, double(net.output_bias()));
    TL_CHECK(correct > 900);
    TL_CHECK(net.output_bias() != 0.0f);
}

// Host code runs any N and P at run time: the same algorithms on dynamic views.
TL_TEST(dynamic_views_give_the_same_result) {
    gaussian_rng g(13);
    network<double, N, P, act::erf> a, b;
    init_network(a, g);
    std::memcpy(b.W_mut().data(), a.W().data(), sizeof(double) * N * P);
    network_ref<double, dynamic_extent, dynamic_extent, act::erf> dyn = b.ref();
    TL_CHECK(dyn.inputs() == N && dyn.hidden() == P);
    tl_test::sample<double, N> s;
    const auto& x = s.draw(g);
    online_sgd<double> s1, s2;
    TL_REQUIRE(s1.step(a, x, 0.3).ok());
    TL_REQUIRE(s2.step(dyn, vec_view<const double>(x), 0.3).ok());
    TL_CHECK(std::memcmp(a.W().data(), b.W().data(), sizeof(double) * N * P) == 0);
}
