#include "table.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "../usage_error.hpp"

namespace twolayer::tool::sweep {

namespace {

using key = std::tuple<long, long, long, long, long>;  // teacher, N, format, P, seed: indices

template <class T>
long index_in(const std::vector<T>& v, const T& x) {
    const auto it = std::find(v.begin(), v.end(), x);
    return it == v.end() ? -1 : long(it - v.begin());
}

std::vector<std::string> teacher_names(const grid& g) {
    std::vector<std::string> out;
    for (activation_id a : g.teachers) out.push_back(activation_name(a));
    return out;
}

// A run's place in the grid; false when it is not one of g's.
bool key_of(const grid& g, const record& r, key& k) {
    const std::vector<std::string> teachers = teacher_names(g);
    std::vector<std::string> formats;
    for (const grid_format& f : g.formats) formats.push_back(f.name);
    k = key{index_in(teachers, r.teacher), index_in(g.Ns, r.N), index_in(formats, r.format), index_in(g.widths, r.P), r.seed};
    return r.kind == "run" && std::get<0>(k) >= 0 && std::get<1>(k) >= 0 && std::get<2>(k) >= 0 && std::get<3>(k) >= 0 &&
           r.seed >= 0 && r.seed < g.seeds;
}

// The (empty) run record of format f in job j: its configuration and seed.
record run_of(const grid& g, long job, std::size_t f) {
    const grid::place at = g.place_of(job);
    record r;
    r.teacher = activation_name(g.teachers[std::size_t(at.teacher)]);
    r.N = g.Ns[std::size_t(at.N)];
    r.P = g.widths[std::size_t(at.width)];
    r.format = g.formats[f].name;
    r.seed = at.seed;
    return r;
}

std::string describe(const record& r) {
    return r.teacher + " N=" + std::to_string(r.N) + " P=" + std::to_string(r.P) + " " + r.format + " seed " +
           std::to_string(r.seed);
}

std::string fmt(const char* f, double v) {
    if (v > 1e300) return "never";
    char b[48];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

// Runs of one configuration are consecutive in the grid's order: calls f with each group.
template <class F>
void for_each_configuration(const std::vector<record>& runs, F&& f) {
    for (std::size_t i = 0; i < runs.size();) {
        std::size_t j = i;
        while (j < runs.size() && runs[j].teacher == runs[i].teacher && runs[j].N == runs[i].N &&
               runs[j].format == runs[i].format && runs[j].P == runs[i].P)
            ++j;
        f(std::vector<record>(runs.begin() + long(i), runs.begin() + long(j)));
        i = j;
    }
}

}  // namespace

void order_runs(const grid& g, const std::vector<long>& expected_jobs, std::vector<record>& runs, const std::string& source) {
    std::map<key, std::size_t> seen;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        key k;
        if (!key_of(g, runs[i], k) || !std::binary_search(expected_jobs.begin(), expected_jobs.end(), g.job_at({std::get<0>(k), std::get<1>(k), std::get<3>(k), std::get<4>(k)})))
            throw usage_error(source, "", "a row that is not a run of this grid (or shard): " + describe(runs[i]));
        if (!seen.emplace(k, i).second) throw usage_error(source, "", "a run given twice: " + describe(runs[i]));
    }
    const std::size_t expected = expected_jobs.size() * g.formats.size();
    if (seen.size() != expected)
        for (long j : expected_jobs)
            for (std::size_t f = 0; f < g.formats.size(); ++f) {
                const grid::place at = g.place_of(j);
                if (!seen.count(key{at.teacher, at.N, long(f), at.width, at.seed}))
                    throw usage_error(source, "", std::to_string(expected - seen.size()) + " of the grid's " +
                                                      std::to_string(expected) + " runs are missing, the first: " +
                                                      describe(run_of(g, j, f)));
            }
    std::vector<record> sorted;
    for (const auto& [k, i] : seen) sorted.push_back(runs[i]);
    runs = std::move(sorted);
}

std::string csv_text(const grid& g, const std::vector<record>& runs) {
    std::string s = g.line() + "\n" + csv_header;
    for (const record& r : runs) s += to_row(r);
    for_each_configuration(runs, [&](const std::vector<record>& group) {
        for (const record& a : aggregate(group)) s += to_row(a);
    });
    return s;
}

std::string shard_text(const grid& g, const shard& sh, const std::vector<record>& runs) {
    std::string s = g.line() + "\n" + sh.line() + "\n" + csv_header;
    for (const record& r : runs) s += to_row(r);
    return s;
}

std::string markdown_text(const grid& g, const std::vector<record>& runs) {
    std::string s = "Medians over " + std::to_string(g.seeds) + " seeds [min, max]; t-max " + fmt("%g", g.t_max) +
                    ", lr " + fmt("%g", g.lr) + ".\n\n"
                    "| teacher | N | format | P | eps_g | steps to 2x double | escape t | refused | RAM bytes | host ns/step |\n"
                    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for_each_configuration(runs, [&](const std::vector<record>& group) {
        const std::vector<record> a = aggregate(group);
        const record& m = a[0];
        s += "| " + m.teacher + " | " + std::to_string(m.N) + " | " + m.format + " | " + std::to_string(m.P) + " | " +
             fmt("%.3g", m.eps_g) + " [" + fmt("%.3g", a[1].eps_g) + ", " + fmt("%.3g", a[2].eps_g) + "] | " +
             fmt("%.0f", m.steps_to_2x_double) + " | " + fmt("%.3g", m.escape_t) + " | " + fmt("%.3g", m.refused_fraction) +
             " | " + fmt("%.0f", m.ram_bytes) + " | " + fmt("%.0f", m.ns_per_step) + " |\n";
    });
    return s;
}

}  // namespace twolayer::tool::sweep
