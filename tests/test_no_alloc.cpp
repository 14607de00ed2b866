// Replaces operator new/delete and malloc/free with counting versions, then builds, evaluates
// and trains networks: not one allocation may happen. (Hosted targets with glibc; bare-metal
// images are held to the same by a link-time guard.)
#include <cstdlib>
#include <new>

#include "test_util.hpp"

namespace {
volatile long g_allocations = 0;
}

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define TL_COUNT_MALLOC 1
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
void* malloc(std::size_t n) { ++g_allocations; return __libc_malloc(n); }
void* calloc(std::size_t n, std::size_t s) { ++g_allocations; return __libc_calloc(n, s); }
void* realloc(void* p, std::size_t n) { ++g_allocations; return __libc_realloc(p, n); }
void free(void* p) { __libc_free(p); }
}
#else
#define TL_COUNT_MALLOC 0
#endif

// operator new counts itself only where malloc is not counted already.
void* operator new(std::size_t n) {
    if (!TL_COUNT_MALLOC) ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    std::abort();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace twolayer;

TL_TEST(counters_see_allocations) {
    // The counters must work, or a zero below would prove nothing.
    // volatile pointers keep the compiler from eliding the pairs.
    const long before = g_allocations;
    int* volatile p = new int(3);
    delete p;
    TL_CHECK(g_allocations == before + 1);
#if TL_COUNT_MALLOC
    void* volatile q = std::malloc(16);
    std::free(q);
    TL_CHECK(g_allocations == before + 2);
#endif
}

TL_TEST(build_evaluate_train_without_allocating) {
    static network<float, 32, 8, act::erf> student;   // static storage
    static gd_trainer<float, 32, 8> gd;
    static dataset<float, 16, 32> data;
    if (!TL_COUNT_MALLOC) TL_INFO("    (malloc not interposable here: counting operator new only)\n");
    const long before = g_allocations;
    {
        // automatic storage: teacher, local student, generator, sample buffer
        tl_test::teacher_student<double, 20, 4, 2, act::relu> f(1, second_layer_init::one);
        init_network(student, f.rng, second_layer_init::inv_p);
        online_sgd<double> sgd;
        for (int i = 0; i < 200; ++i) {
            const auto& x = f.draw();
            sgd.step(f.student, x, f.teacher.forward(x));
        }
        tl_test::fill_gaussian(data, f.rng);
        for (index_t mu = 0; mu < 16; ++mu) data.y[mu] = student.forward(data.ref().sample(mu)) * 0.5f;
        for (int e = 0; e < 20; ++e) gd.full_batch(student, data);
        gd.minibatch(student, data, 3, 4);
        mean_loss(student, data);
    }
    const long during = g_allocations - before;
    TL_INFO("    allocations while building, evaluating and training: %ld\n", during);
    TL_CHECK(during == 0);
}

TL_TEST(analysis_without_allocating) {
    static network<float, 16, 4, act::tanh> net;
    static dataset<float, 16, 16> data;
    static hvp_workspace<float, 16, 4> ws;
    static lanczos<max_flat_size<16, 4>, 20> lz;
    static float u[max_flat_size<16, 4>], hu[max_flat_size<16, 4>];
    static sharpness_workspace<float, 16, 4, 20> sws;
    const long before = g_allocations;
    {
        gaussian_rng g(2);
        init_network(net, g);
        net.use_hidden_bias(true);
        net.use_output_bias(true);
        tl_test::fill_gaussian(data, g, true);
        for (float& x : u) x = g.gaussian<float>();
        hessian_vector_product(net, data, u, hu, ws);
        flat_gradient(net, data, hu, ws, hessian_blocks{}, logistic_loss{});
        auto op = make_hessian_operator(net, data);
        lz.run(op, op.dimension(), 20);
        lz.largest(0);
        train_config<float> c;
        c.lr_w = 100;
        capped_gd_trainer<float, 16, 4, 20> t(c, sws);  // sharpness, the cap and a step
        t.full_batch(net, data);
    }
    const long during = g_allocations - before;
    TL_INFO("    allocations in HVPs, a gradient, a Lanczos run and a capped GD step: %ld\n", during);
    TL_CHECK(during == 0);
}

TL_TEST(games_and_readout_without_allocating) {
    using player = network<float, 8, 6, act::tanh>;
    using game = hidden_convex_concave_game<float, 5>;
    static player a, b;
    static dataset<float, 5, 8> z;
    static float B[25];
    static gda_trainer<player, player, 5, game> gda;
    static readout_ridge<6> ridge;
    static readout_gd<float, 8, 6> rgd;
    const long before = g_allocations;
    {
        gaussian_rng g(3);
        init_network(a, g);
        init_network(b, g);
        tl_test::fill_gaussian(z, g, true);
        for (float& x : B) x = g.gaussian<float>();
        gda.game = game(mat_view<const float, 5, 5>(B));
        for (int s = 0; s < 5; ++s) gda.step(a, b, z);  // alternating
        gda.mode = gda_mode::simultaneous;
        gda.step(a, b, z);
        gda.evaluate(a, b, z);
        for (index_t i = 0; i < 5; ++i) z.y[i] = z.X(i, 0) > 0 ? 1.0f : -1.0f;
        rgd.step(a, z);
        ridge.solve(a, z, weighted_squared_loss<float>{}, 0.1);
    }
    const long during = g_allocations - before;
    TL_INFO("    allocations in GDA steps, a readout GD step and a ridge solve: %ld\n", during);
    TL_CHECK(during == 0);
}

TL_TEST(flash_networks_without_allocating) {
    using net_t = network<float, 16, 4, act::tanh>;
    static net_t net;
    static dataset<float, 5, 16> d;
    const long before = g_allocations;
    {
        gaussian_rng g(6);
        init_network(net, g);
        tl_test::fill_gaussian(d, g);
        const flash_weights<float, 16, 4> w{net.W(), net.v()};
        flash_network<float, 16, 4, act::tanh> flash(w);
        flash.forward(d.X.view().row(0));
        readout_network<float, 16, 4, act::tanh> readout(w);
        readout.forward(d.X.view().row(1));
        readout_gd<float, 16, 4>{}.step(readout, d);
    }
    const long during = g_allocations - before;
    TL_INFO("    allocations in making flash networks, their forward passes and a readout GD step: %ld\n", during);
    TL_CHECK(during == 0);
}

TL_TEST(blob_and_checkpoint_without_allocating) {
    using net_t = network<float, 16, 4, act::tanh>;
    static net_t net, back;
    static std::uint8_t buf[blob_size<net_t>()], slot0[blob_size<net_t>()], slot1[blob_size<net_t>()];
    const long before = g_allocations;
    {
        gaussian_rng g(4);
        init_network(net, g);
        save_blob(net, buf, sizeof buf);
        load_blob(buf, sizeof buf, back);
        check_blob(buf, sizeof buf, back);
        const checkpoint_slots slots{{slot0, slot1}, sizeof slot0};
        for (int i = 0; i < 3; ++i) save_checkpoint(slots, net);
        restore_checkpoint(slots, back);
    }
    const long during = g_allocations - before;
    TL_INFO("    allocations in blob saves, loads and checkpoints: %ld\n", during);
    TL_CHECK(during == 0);
}
