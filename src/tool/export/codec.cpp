#include "codec.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "twolayer/io/blob.hpp"

namespace twolayer::tool::exporter {

namespace {

// Whether a double rounds to a finite float: below FLT_MAX + half its spacing, 2^128 - 2^103 (the
// tie rounds to even, away from FLT_MAX's odd significand, to infinity). Checked before the
// conversion, whose result C++ does not define past float's range.
bool fits_float(double x) { return std::fabs(x) < std::ldexp(1.0, 128) - std::ldexp(1.0, 103); }

template <class S>
bool encode(double x, std::uint64_t& bits) {
    if (!std::isfinite(x)) return false;
    S s{};
    if constexpr (format_traits<S>::is_fixed) {
        // The library's conversion saturates and counts: a count means out of range.
        const std::uint32_t before = S::counters().saturations;
        s = format_traits<S>::from_double(x);
        if (S::counters().saturations != before) return false;
    } else {
        if (std::is_same<S, float>::value && !fits_float(x)) return false;
        s = format_traits<S>::from_double(x);
        if (!std::isfinite(format_traits<S>::to_double(s))) return false;
    }
    bits = twolayer::detail::bits_of(s);
    return true;
}

template <class S>
double decode(std::uint64_t bits) {
    return format_traits<S>::to_double(twolayer::detail::from_bits<S>(bits));
}

// A decimal literal that names a value of T: %.17g (double) or %.9g (float) digits, enough to
// read back to the same bits, with a decimal point added where the digits alone would make an
// integer ("-0" would lose the sign); hex digits (%a) if the decimal text did not read back.
template <class T>
std::string float_literal(std::uint64_t bits) {
    const T x = twolayer::detail::from_bits<T>(bits);
    const bool is_float = std::is_same<T, float>::value;
    char text[40];
    std::snprintf(text, sizeof text, is_float ? "%.9g" : "%.17g", double(x));
    std::string s = text;
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    const T back = is_float ? T(std::strtof(s.c_str(), nullptr)) : T(std::strtod(s.c_str(), nullptr));
    if (twolayer::detail::bits_of(back) != bits) {
        std::snprintf(text, sizeof text, "%a", double(x));
        s = text;
    }
    return is_float ? s + "f" : s;
}

template <class S>
std::string half_literal(std::uint64_t bits) {
    char text[48];
    std::snprintf(text, sizeof text, "::from_bits(0x%04x)", unsigned(bits));
    return std::string(S::exp_bits == 5 ? "twolayer::f16" : "twolayer::bf16") + text;
}

// from_raw of the raw integer; the most negative one as (min + 1) - 1, since a literal such as
// -2147483648 is the negation of a wider type's 2147483648.
template <class S>
std::string fixed_literal(std::uint64_t bits) {
    const long long raw = twolayer::detail::from_bits<S>(bits).raw;
    const std::string type = S::frac_bits == 12 ? "twolayer::q3_12" : "twolayer::q4_27";
    if (raw == S::raw_min) return type + "::from_raw(" + std::to_string(raw + 1) + " - 1)";
    return type + "::from_raw(" + std::to_string(raw) + ")";
}

// The codec of storage type S; the rest follows from the library's traits and blob ids.
template <class S>
storage_codec codec_of(const char* name, const char* cpp_type, const char* range, std::string (*literal)(std::uint64_t)) {
    const char* compute = std::is_same<compute_t<S>, double>::value ? "double" : "float";
    return {name,    cpp_type,           blob_format_id<S>::value, int(sizeof(S)), range,
            compute, max_dot_length_v<S>, encode<S>,               decode<S>,      literal};
}

const storage_codec codecs[] = {
    codec_of<double>("double", "double", "double's finite range", float_literal<double>),
    codec_of<float>("float", "float", "[-3.40282347e38, 3.40282347e38]", float_literal<float>),
    codec_of<f16>("f16", "twolayer::f16", "[-65504, 65504]", half_literal<f16>),
    codec_of<bf16>("bf16", "twolayer::bf16", "[-3.38953139e38, 3.38953139e38]", half_literal<bf16>),
    codec_of<q3_12>("q3_12", "twolayer::q3_12", "[-8, 8 - 2^-12]", fixed_literal<q3_12>),
    codec_of<q4_27>("q4_27", "twolayer::q4_27", "[-16, 16 - 2^-27]", fixed_literal<q4_27>),
};

}  // namespace

const storage_codec* codec_named(const std::string& name) {
    for (const storage_codec& c : codecs)
        if (name == c.name) return &c;
    return nullptr;
}

const storage_codec* codec_with_blob_id(std::uint8_t id) {
    for (const storage_codec& c : codecs)
        if (id == c.blob_id) return &c;
    return nullptr;
}

}  // namespace twolayer::tool::exporter
