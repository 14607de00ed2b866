#include "recommend.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "../usage_error.hpp"

namespace twolayer::tool::sweep {

namespace {

std::vector<std::string> fields_of(const std::string& line) {
    std::vector<std::string> f;
    std::stringstream in(line);
    for (std::string x; std::getline(in, x, ',');) f.push_back(x);
    if (!line.empty() && line.back() == ',') f.push_back("");
    return f;
}

// One configuration's median figures; a budget's figure is NaN where the CSV has no value.
struct candidate {
    std::string teacher, format;
    long N = 0, P = 0;
    double figure[4] = {0, 0, 0, 0};  // error, ram, flash, insns (the order of budget_names)
};

const char* const budget_names[4] = {"--error", "--ram", "--flash", "--insns-per-step"};
const char* const figure_names[4] = {"eps_g", "RAM bytes", "flash bytes", "instructions per step"};

// A figure as printed: the error with 3 digits, bytes and instruction counts whole.
std::string num(double v, bool whole = false) {
    char b[40];
    std::snprintf(b, sizeof b, whole ? "%.0f" : "%.3g", v);
    return b;
}

std::string describe(const candidate& c, const std::vector<int>& used) {
    std::string s = c.format + " P=" + std::to_string(c.P) + " (" + c.teacher + " teacher, N=" + std::to_string(c.N) + "):";
    const char* sep = " ";
    for (int i : used) {
        s += std::string(sep) + figure_names[i] + " " + num(c.figure[i], i > 0);
        sep = ", ";
    }
    return s;
}

std::vector<candidate> read_candidates(const budgets& b, const std::vector<int>& used) {
    std::ifstream in(b.csv, std::ios::binary);
    if (!in) throw usage_error("--csv", b.csv, "cannot be read");
    std::string line;
    while (std::getline(in, line) && !line.empty() && line[0] == '#') {}
    const std::vector<std::string> header = fields_of(line);
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
    for (const char* name : {"kind", "teacher", "N", "P", "format", "eps_g", "ram_bytes"})
        if (!col.count(name)) throw usage_error("--csv", b.csv, std::string("no column ") + name + " (not a sweep CSV)");
    const std::string column[4] = {"eps_g", "ram_bytes", "flash_bytes_" + b.device, "insns_per_step_" + b.device};
    for (int i : used)
        if (!col.count(column[i]))
            throw usage_error(budget_names[i], "", b.csv + " has no column " + column[i] +
                                                       " (the device figures are joined into the sweep CSV by the device half, docs/TOOL.md \"recommend\")");
    std::vector<candidate> out;
    for (long row = 2; std::getline(in, line); ++row) {
        const std::vector<std::string> f = fields_of(line);
        if (f.size() != header.size()) throw usage_error("--csv", b.csv, "row " + std::to_string(row) + " has " + std::to_string(f.size()) + " fields, the header " + std::to_string(header.size()));
        if (f[col["kind"]] != "median") continue;
        candidate c;
        c.teacher = f[col["teacher"]];
        c.format = f[col["format"]];
        c.N = std::atol(f[col["N"]].c_str());
        c.P = std::atol(f[col["P"]].c_str());
        if ((!b.teacher.empty() && c.teacher != b.teacher) || (b.N != 0 && c.N != b.N)) continue;
        for (int i : used) {
            const std::string& v = f[col[column[i]]];
            char* end = nullptr;
            c.figure[i] = v == "never" ? INFINITY : std::strtod(v.c_str(), &end);
            if (v.empty() || (v != "never" && *end != '\0')) c.figure[i] = NAN;  // not measured: meets nothing
        }
        out.push_back(c);
    }
    if (out.empty()) throw usage_error("--csv", b.csv, "no median row" + std::string(b.teacher.empty() && b.N == 0 ? "" : " for the --teacher / --N asked"));
    return out;
}

}  // namespace

const std::vector<std::string>& device_names() {
    static const std::vector<std::string> names = {"cortex-m4", "cortex-m55", "aarch64"};
    return names;
}

namespace {

// The budgets asked (the indices of budget_names with a limit > 0) and their limits.
struct asked {
    double limit[4];
    std::vector<int> used;
    explicit asked(const budgets& b) : limit{b.error, b.ram, b.flash, b.insns_per_step} {
        for (int i = 0; i < 4; ++i)
            if (limit[i] > 0) used.push_back(i);
    }
    bool meets(const candidate& c, int i) const { return c.figure[i] <= limit[i]; }  // NaN: no
    bool meets_all_but(const candidate& c, int skip) const {
        for (int i : used)
            if (i != skip && !meets(c, i)) return false;
        return true;
    }
};

// Cheapest first: RAM, then flash, then instructions, then the error.
void sort_cheapest(std::vector<candidate>& v) {
    std::sort(v.begin(), v.end(), [](const candidate& x, const candidate& y) {
        const int order[4] = {1, 2, 3, 0};
        for (int i : order)
            if (x.figure[i] != y.figure[i]) return x.figure[i] < y.figure[i];
        return x.format + std::to_string(x.P) < y.format + std::to_string(y.P);
    });
}

// The nearest miss of budget i when no configuration meets them all: among the configurations
// meeting every other budget (else among all), the one with the smallest figure i; nothing
// printed when it meets budget i (then budget i is not what stands in the way).
void print_miss(const asked& a, const std::vector<candidate>& all, int i, std::FILE* to) {
    std::vector<candidate> pool;
    for (const candidate& c : all)
        if (a.meets_all_but(c, i)) pool.push_back(c);
    const bool others_met = !pool.empty();
    if (!others_met) pool = all;
    const auto best = std::min_element(pool.begin(), pool.end(), [i](const candidate& x, const candidate& y) {
        return !std::isnan(x.figure[i]) && (std::isnan(y.figure[i]) || x.figure[i] < y.figure[i]);
    });
    if (a.meets(*best, i)) return;
    std::fprintf(to, "  %s %s cannot be met%s: the nearest is %s (%.3gx the budget)\n", budget_names[i],
                 num(a.limit[i], i > 0).c_str(), others_met ? " with the other budgets" : "", describe(*best, a.used).c_str(),
                 best->figure[i] / a.limit[i]);
}

}  // namespace

int recommend(const budgets& b, std::FILE* to) {
    const asked a(b);
    const std::vector<candidate> all = read_candidates(b, a.used);
    std::vector<candidate> ok;
    for (const candidate& c : all)
        if (a.meets_all_but(c, -1)) ok.push_back(c);
    if (ok.empty()) {
        std::fprintf(to, "twolayer recommend: no configuration of %zu meets the budgets on %s\n", all.size(), b.device.c_str());
        for (int i : a.used) print_miss(a, all, i, to);
        return 1;
    }
    sort_cheapest(ok);
    std::fprintf(to, "twolayer recommend: %zu of %zu configurations meet the budgets on %s; the cheapest:\n", ok.size(),
                 all.size(), b.device.c_str());
    for (std::size_t k = 0; k < ok.size() && long(k) < b.top; ++k) std::fprintf(to, "  %s\n", describe(ok[k], a.used).c_str());
    return 0;
}

}  // namespace twolayer::tool::sweep
