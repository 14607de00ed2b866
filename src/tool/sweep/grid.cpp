#include "grid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "../common_options.hpp"
#include "../research/grids.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool::sweep {

namespace {

// The items of text between separators; "" is one empty item (which the parsers refuse).
std::vector<std::string> split(const std::string& text, char sep) {
    if (text.empty()) return {""};
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, sep);) out.push_back(item);
    if (!text.empty() && text.back() == sep) out.push_back("");
    return out;
}

// The shortest of %.15g .. %.17g that reads back as v (0.1, not 0.10000000000000001).
std::string num(double v) {
    char b[40];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(b, sizeof b, "%.*g", digits, v);
        if (std::strtod(b, nullptr) == v) break;
    }
    return b;
}

std::string join_longs(const std::vector<long>& v) {
    std::string s;
    for (long x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

}  // namespace

std::vector<grid_format> parse_formats(const std::string& text, const std::string& option) {
    std::vector<grid_format> out;
    for (const std::string& item : split(text, ',')) {
        grid_format f;
        f.name = item;
        const std::size_t plus = item.find('+');
        f.format = item.substr(0, plus);
        const std::string suffix = plus == std::string::npos ? "" : item.substr(plus + 1);
        const auto& names = format_names();
        if (std::find(names.begin(), names.end(), f.format) == names.end())
            throw usage_error(option, text, "unknown format '" + item + "' (formats: double, float, f16, bf16, q3_12, q4_27, S/double; +sr or +master on the narrow ones)");
        if (!suffix.empty() && suffix != "sr" && suffix != "master")
            throw usage_error(option, text, "'" + item + "': the suffix is +sr (stochastic rounding) or +master (a master copy)");
        if (!suffix.empty() && format_is_native(f.format))
            throw usage_error(option, text, "'" + item + "': nothing is rounded in " + f.format + " (+sr and +master are for narrow formats)");
        f.rounding = suffix == "sr" ? rounding_mode::stochastic : rounding_mode::nearest;
        f.master = suffix == "master";
        for (const grid_format& g : out)
            if (g.name == f.name) throw usage_error(option, text, "'" + item + "' is given twice");
        out.push_back(f);
    }
    return out;
}

std::vector<activation_id> parse_teachers(const std::string& text, const std::string& option) {
    const std::map<std::string, activation_id> known = {{"erf", activation_id::erf},
                                                        {"relu", activation_id::relu},
                                                        {"quadratic", activation_id::quadratic},
                                                        {"linear", activation_id::linear}};
    std::vector<activation_id> out;
    for (const std::string& item : split(text, ',')) {
        const auto it = known.find(item);
        if (it == known.end())
            throw usage_error(option, text, "'" + item + "' is not one of erf|relu|quadratic|linear (the activations with a closed-form eps_g)");
        if (std::find(out.begin(), out.end(), it->second) != out.end())
            throw usage_error(option, text, "'" + item + "' is given twice");
        out.push_back(it->second);
    }
    return out;
}

long grid::jobs() const { return long(teachers.size() * Ns.size() * widths.size()) * seeds; }

std::uint64_t grid::steps(long N) const { return std::uint64_t(std::llround(t_max * double(N))); }

grid::place grid::place_of(long job) const {
    const long nw = long(widths.size()), nn = long(Ns.size());
    return {job / seeds / nw / nn, job / seeds / nw % nn, job / seeds % nw, job % seeds};
}

long grid::job_at(const place& p) const {
    return ((p.teacher * long(Ns.size()) + p.N) * long(widths.size()) + p.width) * seeds + p.seed;
}

train_settings grid::settings(long job, const grid_format& f) const {
    const place at = place_of(job);
    train_settings s;
    s.model.N = Ns[std::size_t(at.N)];
    s.model.P = widths[std::size_t(at.width)];
    s.model.P_star = P_star;
    s.model.act = s.model.teacher_act = teachers[std::size_t(at.teacher)];
    s.model.teacher_act_given = true;
    s.model.second_layer = second_layer_init::inv_p;
    s.model.init_scale = init_scale;
    s.model.train_v = true;
    s.model.seed = seed;
    s.training.lr = s.training.lr_v = lr;
    s.training.t_max = t_max;
    s.format = f.format;
    s.rounding = f.rounding;
    s.master = f.master;
    s.reports = reports;
    s.skip_refused = true;
    return s;
}

void grid::check() const {
    // The host copies of the largest student (W in double, several times over) must fit.
    if (double(widths.back()) * double(Ns.back()) > 1e7)
        throw usage_error("--widths", std::to_string(widths.back()),
                          "with --N " + std::to_string(Ns.back()) + " the student has more than 10^7 weights");
    if (!(plateau_t < t_max))
        throw usage_error("--plateau-t", num(plateau_t), "must be below --t-max " + num(t_max));
    for (long N : Ns)
        if (steps(N) < 1 || std::llround(plateau_t * double(N)) < 1)
            throw usage_error("--t-max", num(t_max), "less than one step (or a plateau time of no step) at --N " + std::to_string(N));
}

std::string grid::line() const {
    std::string t, f;
    for (activation_id a : teachers) t += (t.empty() ? "" : ",") + std::string(activation_name(a));
    for (const grid_format& g : formats) f += (f.empty() ? "" : ",") + g.name;
    return "# twolayer sweep grid: teachers=" + t + " N=" + join_longs(Ns) + " formats=" + f +
           " widths=" + join_longs(widths) + " seeds=" + std::to_string(seeds) + " seed=" + std::to_string(seed) +
           " t-max=" + num(t_max) + " lr=" + num(lr) + " init-scale=" + num(init_scale) +
           " reports=" + std::to_string(reports) + " plateau-t=" + num(plateau_t) +
           " plateau-fraction=" + num(plateau_fraction);
}

grid parse_grid_line(const std::string& line, const std::string& source) {
    const std::string prefix = "# twolayer sweep grid: ";
    if (line.compare(0, prefix.size(), prefix) != 0)
        throw usage_error(source, "", "not a sweep CSV: its first line is not '" + prefix + "...'");
    std::map<std::string, std::string> kv;
    for (const std::string& item : split(line.substr(prefix.size()), ' ')) {
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos) throw usage_error(source, "", "a malformed grid line: '" + item + "'");
        kv[item.substr(0, eq)] = item.substr(eq + 1);
    }
    const auto get = [&](const char* key) {
        const auto it = kv.find(key);
        if (it == kv.end()) throw usage_error(source, "", std::string("the grid line has no ") + key + "=");
        return it->second;
    };
    const auto number = [&](const char* key) {
        const std::string v = get(key);
        char* end = nullptr;
        const double x = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0') throw usage_error(source, "", std::string("the grid line's ") + key + "=" + v + " is not a number");
        return x;
    };
    grid g;
    g.teachers = parse_teachers(get("teachers"), source);
    g.Ns = research::parse_int_list(get("N"), source, 1, 10000);
    g.formats = parse_formats(get("formats"), source);
    g.widths = research::parse_int_list(get("widths"), source, 1, 10000);
    const auto integer = [&](const char* key) {
        const std::string v = get(key);
        if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
            throw usage_error(source, "", std::string("the grid line's ") + key + "=" + v + " is not a whole number");
        return std::strtoul(v.c_str(), nullptr, 10);
    };
    g.seeds = long(integer("seeds"));
    g.seed = integer("seed");
    g.t_max = number("t-max");
    g.lr = number("lr");
    g.init_scale = number("init-scale");
    g.reports = long(integer("reports"));
    g.plateau_t = number("plateau-t");
    g.plateau_fraction = number("plateau-fraction");
    if (g.line() != line) throw usage_error(source, "", "a malformed grid line (it does not read back as written)");
    return g;
}

std::vector<long> shard::jobs_of(long jobs) const {
    std::vector<long> out;
    for (long j = index; j < jobs; j += count) out.push_back(j);
    return out;
}

std::string shard::line() const { return "# shard " + std::to_string(index) + "/" + std::to_string(count); }

shard parse_shard(const std::string& text, const std::string& option) {
    const std::size_t slash = text.find('/');
    const auto whole = [](const std::string& s) {
        return !s.empty() && s.size() < 8 && s.find_first_not_of("0123456789") == std::string::npos;
    };
    if (slash == std::string::npos || !whole(text.substr(0, slash)) || !whole(text.substr(slash + 1)))
        throw usage_error(option, text, "expected i/n: shard i of n, 0 <= i < n (e.g. 0/4)");
    shard s;
    s.index = std::stol(text.substr(0, slash));
    s.count = std::stol(text.substr(slash + 1));
    if (s.count < 1 || s.count > 1000000 || s.index >= s.count)
        throw usage_error(option, text, "expected i/n with 0 <= i < n <= 10^6");
    return s;
}

}  // namespace twolayer::tool::sweep
