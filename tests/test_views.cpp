#include "test_util.hpp"

using namespace twolayer;

TL_TEST(static_views_have_compile_time_extents) {
    vec<float, 5> a{};
    auto v = a.view();
    static_assert(decltype(v)::extent == 5, "static extent");
    static_assert(sizeof(vec_view<float, 5>) == sizeof(float*), "a static view is one pointer");
    TL_CHECK(v.size() == 5);
    v[3] = 2.5f;
    TL_CHECK(a[3] == 2.5f);
}

TL_TEST(static_view_converts_to_dynamic_and_const) {
    vec<double, 4> a{};
    vec_view<double> d = a.view();
    vec_view<const double> c = d;
    TL_CHECK(d.size() == 4 && c.size() == 4 && c.data() == a.data);
    mat<float, 3, 7> m{};
    mat_view<const float> md = m.view();
    TL_CHECK(md.rows() == 3 && md.cols() == 7);
    m(2, 5) = 1.5f;
    TL_CHECK(md(2, 5) == 1.5f);
    TL_CHECK(md.row(2)[5] == 1.5f);
    TL_CHECK(md.flat().size() == 21);
}

TL_TEST(arrays_make_views_of_their_own_size) {
    float x[6] = {1, 2, 3, 4, 5, 6};
    vec_view xv(x);  // deduced: vec_view<float, 6>
    static_assert(std::is_same<decltype(xv), vec_view<float, 6>>::value, "deduced from the array");
    const vec_view<const float, 6> cv(x);
    const vec_view<const float> dv(x);
    TL_CHECK(cv.size() == 6 && dv.size() == 6 && cv.data() == x && dv[5] == 6.0f);
    static_assert(std::is_same<const_view_t<float[6]>, vec_view<const float, 6>>::value, "array: static extent");
    static_assert(std::is_same<const_view_t<vec_view<float>>, vec_view<const float>>::value, "view: its extent");
    TL_CHECK(as_const_view(x).data() == x && as_const_view(xv).size() == 6);
}

// Every function taking a network takes the network or a network_ref, every sample an array or
// a view: the same bits either way.
TL_TEST(networks_and_refs_arrays_and_views_are_interchangeable) {
    network<float, 8, 3, act::tanh> a, b;
    gaussian_rng ga(3), gb(3);
    init_network(a, ga);
    init_network(b.ref(), gb);
    float x[8];
    for (auto& xi : x) xi = ga.gaussian<float>();
    const float ya = forward(a, x), yb = forward(b.ref(), vec_view<const float>(x, 8));
    TL_CHECK(std::memcmp(&ya, &yb, sizeof ya) == 0);
    online_sgd<float> sa, sb;
    TL_CHECK(sa.step(a, x, 0.5f).ok() && sb.step(b.ref(), vec_view<const float, 8>(x), 0.5f).ok());
    TL_CHECK(tl_test::weight_snapshot<decltype(a)>(a).same_as(b));
}

TL_TEST(storage_is_aligned_and_in_object) {
    struct holder { char c; mat<float, 4, 4> m; };
    holder h{};
    TL_CHECK(reinterpret_cast<std::uintptr_t>(h.m.data) % storage_alignment == 0);
    static_assert(sizeof(network<float, 64, 16>) >= (64 * 16 + 2 * 16 + 1) * sizeof(float),
                  "the network holds its weights");
}
