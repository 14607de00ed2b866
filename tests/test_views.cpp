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

TL_TEST(storage_is_aligned_and_in_object) {
    struct holder { char c; mat<float, 4, 4> m; };
    holder h{};
    TL_CHECK(reinterpret_cast<std::uintptr_t>(h.m.data) % storage_alignment == 0);
    static_assert(sizeof(network<float, 64, 16>) >= (64 * 16 + 2 * 16 + 1) * sizeof(float),
                  "the network holds its weights");
}
