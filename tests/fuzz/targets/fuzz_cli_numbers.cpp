// libFuzzer target: how the `twolayer` tool reads numbers and options from its command line. The
// input is split at newlines and NULs (an argv string holds neither) into up to 64 arguments; every argument goes through number_at and
// the grid and list parsers (research/grids, hessian/alpha_grid), and the whole vector through
// CLI11 with the real `train` command's setup (src/tool/commands/train.cpp), parsed only: the
// command's main is never run (cli_seams.cpp's run_train aborts if it is). Invariants, any
// violation or an exception of another type an abort the fuzzer reports:
//   - number_at: true moves pos past exactly one non-empty piece and its separator, false leaves
//     pos where it was;
//   - a parser either returns values within its documented range and order, or throws
//     usage_error whose message is one line naming the option (the tool's exit 2);
//   - CLI11 either accepts, and then every numeric option it holds is within the range that
//     docs/TOOL.md states (the table below), or throws CLI::ParseError (exit 2 with one line).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tool/command.hpp"
#include "tool/common_options.hpp"
#include "tool/hessian/alpha_grid.hpp"
#include "tool/number_text.hpp"
#include "tool/research/grids.hpp"
#include "tool/usage_error.hpp"

namespace {

namespace tool = twolayer::tool;

void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_cli_numbers: invariant violated: %s\n", what);
    std::abort();
}

void require_usage_line(const tool::usage_error& e, const std::string& option) {
    const std::string m = e.what();
    require(m.compare(0, option.size(), option) == 0, "a usage_error does not name its option first");
    require(m.find('\n') == std::string::npos || option.empty(), "a usage_error is not one line");
}

void check_number_at(const std::string& text) {
    for (char end : {':', ',', '\0'}) {
        std::size_t pos = 0;
        double v = 0;
        for (int pieces = 0; pieces < 8 && pos <= text.size(); ++pieces) {
            const std::size_t was = pos;
            if (!tool::number_at(text, pos, end, v)) {
                require(pos == was, "number_at moved pos on failure");
                break;
            }
            require(pos > was + 1 && pos <= text.size() + 1, "number_at took an empty piece or ran past the text");
            if (end != '\0') require(text[pos - 1] == end, "number_at stopped elsewhere than at the separator");
            const std::string piece = text.substr(was, pos - 1 - was);
            require(end == '\0' || piece.find(end) == std::string::npos, "number_at's piece holds the separator");
            char* rest = nullptr;
            const double w = std::strtod(piece.c_str(), &rest);
            require((std::isnan(v) && std::isnan(w)) || v == w, "number_at's value is not the piece's number");
            if (end == '\0') break;
        }
    }
}

// The first two numbers of "a:b:n" as the grid parsers read them.
void grid_ends(const std::string& text, double& a, double& b) {
    std::size_t pos = 0;
    require(tool::number_at(text, pos, ':', a) && tool::number_at(text, pos, ':', b), "an accepted grid lost its ends");
}

// n points from a to b inclusive, every one finite, > 0, within [a, b] and in order.
void check_grid(const std::vector<double>& g, const std::string& text, std::size_t max_points) {
    double a = 0, b = 0;
    grid_ends(text, a, b);
    require(!g.empty() && g.size() <= max_points, "a grid with no points or too many");
    require(g.front() == a && g.back() == b, "a grid does not start at a and end at b");
    for (std::size_t i = 0; i < g.size(); ++i) {
        require(std::isfinite(g[i]) && g[i] > 0 && g[i] >= a && g[i] <= b, "a grid point outside [a, b]");
        require(i == 0 || g[i] >= g[i - 1], "a grid that decreases");
    }
}

void check_parsers(const std::string& text) {
    try {
        check_grid(tool::research::parse_log_grid(text, "--weights"), text, 10000);
    } catch (const tool::usage_error& e) {
        require_usage_line(e, "--weights");
    }
    try {
        check_grid(tool::hessian::parse_scan(text), text, 1000000);
    } catch (const tool::usage_error& e) {
        require_usage_line(e, "--scan-alpha");
    }
    try {
        const std::vector<long> list = tool::research::parse_int_list(text, "--widths", 1, 4096);
        require(!list.empty(), "an empty list accepted");
        for (std::size_t i = 0; i < list.size(); ++i)
            require(list[i] >= 1 && list[i] <= 4096 && (i == 0 || list[i] > list[i - 1]), "a list out of range or order");
    } catch (const tool::usage_error& e) {
        require_usage_line(e, "--widths");
    }
}

// train's numeric options and their ranges, as docs/TOOL.md and `twolayer train --help` state
// them (written here apart from the validators, so that a dropped check shows).
struct range {
    const char* option;
    double lo, hi;
    bool whole;
};
const range train_ranges[] = {
    {"--N", 1, 1e4, true},          {"--P", 1, 1e4, true},           {"--P-star", 1, 1e4, true},
    {"--init-scale", 0, 100, false}, {"--lr", 0, 1e6, false},         {"--lr-v", 0, 1e6, false},
    {"--noise", 0, 1e6, false},      {"--weight-decay", 0, 1e6, false}, {"--t-max", 1e-6, 1e9, false},
    {"--chains", 1, 1e6, true},      {"--threads", 0, 4096, true},    {"--samples", 0, 1e9, true},
    {"--batch", 0, 1e9, true},       {"--reports", 1, 1e6, true},     {"--test-samples", 2, 1e8, true},
};

void check_train_parse(std::vector<std::string> args) {
    CLI::App app{"twolayer", "twolayer"};
    app.require_subcommand(1);
    app.fallthrough(false);
    CLI::App* train = nullptr;
    // The mains are kept (they own the variables the options write to) and never called.
    std::vector<tool::command_main> mains;
    for (const tool::command& c : tool::command_registry()) {
        CLI::App* sub = app.add_subcommand(c.name, c.summary);
        mains.push_back(c.setup(*sub));
        train = sub;
    }
    require(train != nullptr && train->get_name() == "train", "the train command is not registered");
    args.insert(args.begin(), "train");
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
    try {
        app.parse(args);
    } catch (const CLI::ParseError&) {
        return;  // the tool prints it as one line (newlines replaced) and exits 2
    }
    for (const range& r : train_ranges) {
        const CLI::Option* o = train->get_option(r.option);
        if (o->count() == 0) continue;
        const double v = r.whole ? double(o->as<long>()) : o->as<double>();
        require(v >= r.lo && v <= r.hi, "train accepted a number outside its range");
    }
    const std::string format = train->get_option("--format")->as<std::string>();
    bool known = false;
    for (const std::string& f : tool::format_names()) known = known || f == format;
    require(known, "train accepted an unknown --format");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    for (std::size_t pos = 0; pos <= input.size() && args.size() < 64;) {
        const std::size_t stop = std::min(input.find_first_of(std::string("\n\0", 2), pos), input.size());
        args.push_back(input.substr(pos, stop - pos));
        pos = stop + 1;
    }
    for (const std::string& a : args) {
        check_number_at(a);
        check_parsers(a);
    }
    check_train_parse(args);
    return 0;
}
