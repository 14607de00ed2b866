#include "record.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "../usage_error.hpp"

namespace twolayer::tool::sweep {

const char* const csv_header =
    "kind,teacher,N,P,format,seed,eps_g,steps_to_2x_double,escape_t,refused_fraction,ram_bytes,steps,ns_per_step\n";

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

std::string num(double v, const char* fmt = "%.17g") {
    if (v == inf) return "never";
    char b[40];
    std::snprintf(b, sizeof b, fmt, v);
    return b;
}

double parse_number(const std::string& text, const std::string& source, const std::string& line) {
    if (text == "never") return inf;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') throw usage_error(source, "", "not a number '" + text + "' in the row '" + line + "'");
    return v;
}

// The median of sorted values (inf sorts last).
double median_of_sorted(const std::vector<double>& v) {
    const std::size_t h = v.size() / 2;
    return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

}  // namespace

std::string to_row(const record& r) {
    return r.kind + "," + r.teacher + "," + std::to_string(r.N) + "," + std::to_string(r.P) + "," + r.format + "," +
           (r.seed < 0 ? "" : std::to_string(r.seed)) + "," + num(r.eps_g) + "," + num(r.steps_to_2x_double) + "," +
           num(r.escape_t) + "," + num(r.refused_fraction) + "," + num(r.ram_bytes) + "," + num(r.steps) + "," +
           num(r.ns_per_step, "%.1f") + "\n";
}

record parse_row(const std::string& line, const std::string& source) {
    std::vector<std::string> f;
    std::stringstream in(line);
    for (std::string x; std::getline(in, x, ',');) f.push_back(x);
    if (!line.empty() && line.back() == ',') f.push_back("");
    if (f.size() != 13) throw usage_error(source, "", "a row without the 13 columns of a sweep CSV: '" + line + "'");
    record r;
    r.kind = f[0];
    r.teacher = f[1];
    r.N = long(parse_number(f[2], source, line));
    r.P = long(parse_number(f[3], source, line));
    r.format = f[4];
    r.seed = f[5].empty() ? -1 : long(parse_number(f[5], source, line));
    r.eps_g = parse_number(f[6], source, line);
    r.steps_to_2x_double = parse_number(f[7], source, line);
    r.escape_t = parse_number(f[8], source, line);
    r.refused_fraction = parse_number(f[9], source, line);
    r.ram_bytes = parse_number(f[10], source, line);
    r.steps = parse_number(f[11], source, line);
    r.ns_per_step = parse_number(f[12], source, line);
    return r;
}

std::vector<record> aggregate(const std::vector<record>& runs) {
    double record::*const columns[] = {&record::eps_g,     &record::steps_to_2x_double, &record::escape_t,
                                       &record::refused_fraction, &record::ram_bytes, &record::steps,
                                       &record::ns_per_step};
    std::vector<record> out(3, runs.front());
    out[0].kind = "median";
    out[1].kind = "min";
    out[2].kind = "max";
    for (record& r : out) r.seed = -1;
    for (double record::*c : columns) {
        std::vector<double> v;
        for (const record& r : runs) v.push_back(r.*c);
        std::sort(v.begin(), v.end());
        out[0].*c = median_of_sorted(v);
        out[1].*c = v.front();
        out[2].*c = v.back();
    }
    return out;
}

}  // namespace twolayer::tool::sweep
