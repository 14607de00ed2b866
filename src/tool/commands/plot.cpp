// `twolayer plot`: learning curves from train/ode CSVs as a PNG, drawn by matplotlib in
// twolayer_plot.py (installed beside the executable) run by /usr/bin/python3. The PNG is written
// to a temporary name and renamed over --out only when the script succeeded: no half-written
// figure is ever left. Bad input (a missing file, a CSV without chain,t,eps_g, no matplotlib)
// ends with one line and exit code 2, from this file or from the script.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "../command.hpp"
#include "../usage_error.hpp"

extern char** environ;

namespace twolayer::tool {
namespace {

struct plot_options {
    std::vector<std::string> curves, odes;
    std::string out, title, python = "/usr/bin/python3";
    bool train_loss = false;
};

// twolayer_plot.py beside the executable (the build tree), or in ../share/twolayer (an install).
std::string script_path() {
    std::vector<char> buf(4096);
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    std::string dir = n > 0 ? std::string(buf.data(), std::size_t(n)) : std::string(".");
    dir = dir.substr(0, dir.find_last_of('/') + 1);
    for (const std::string& candidate : {dir + "twolayer_plot.py", dir + "../share/twolayer/twolayer_plot.py"})
        if (::access(candidate.c_str(), R_OK) == 0) return candidate;
    throw std::runtime_error("twolayer_plot.py is neither beside the executable nor in ../share/twolayer");
}

// Runs argv[0] with argv (no shell: file names pass as they are) and returns its exit code.
int run(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
        throw usage_error("--python", args[0], "cannot be run");
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// The temporary PNG, removed unless renamed over the target.
class temp_png {
public:
    explicit temp_png(const std::string& out) : out_(out), tmp_(out + ".tmp." + std::to_string(::getpid()) + ".png") {
        std::ofstream probe(tmp_, std::ios::binary | std::ios::trunc);
        if (!probe) throw usage_error("--out", out_, "cannot create the file (does its directory exist?)");
    }
    temp_png(const temp_png&) = delete;
    temp_png& operator=(const temp_png&) = delete;
    ~temp_png() {
        if (!committed_) std::remove(tmp_.c_str());
    }
    const std::string& path() const { return tmp_; }
    void commit() {
        if (std::rename(tmp_.c_str(), out_.c_str()) != 0) throw std::runtime_error(out_ + ": cannot replace the file");
        committed_ = true;
    }

private:
    std::string out_, tmp_;
    bool committed_ = false;
};

int run_plot(const plot_options& o) {
    if (::access(o.python.c_str(), X_OK) != 0)
        throw usage_error("--python", o.python, "not an executable (Debian's python3 with python3-matplotlib is needed)");
    const std::string script = script_path();
    temp_png png(o.out);
    std::vector<std::string> args{o.python, script};
    args.insert(args.end(), o.curves.begin(), o.curves.end());
    for (const std::string& f : o.odes) args.insert(args.end(), {"--ode", f});
    args.insert(args.end(), {"--out", png.path()});
    if (!o.title.empty()) args.insert(args.end(), {"--title", o.title});
    if (o.train_loss) args.push_back("--train-loss");
    const int code = run(args);
    if (code != 0) return code == 2 ? 2 : 1;  // the script has said why (one line for bad input)
    png.commit();
    return 0;
}

command_main setup_plot(CLI::App& sub) {
    auto o = std::make_shared<plot_options>();
    sub.add_option("curves", o->curves, "CSV files of learning curves (chain,t,eps_g[,train_loss])")
        ->required()
        ->check(CLI::ExistingFile);
    sub.add_option("--ode", o->odes, "an ODE CSV (twolayer ode) drawn as a line; repeatable")->check(CLI::ExistingFile);
    sub.add_option("--out", o->out, "PNG file to write")->required();
    sub.add_option("--title", o->title, "figure title");
    sub.add_flag("--train-loss", o->train_loss, "also draw the curves' train_loss column (dashed)");
    sub.add_option("--python", o->python, "the Python with matplotlib that draws the figure")->capture_default_str();
    return [o] { return run_plot(*o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("plot", "learning curves (mean and standard error over chains, ODE overlaid) as a PNG",
                      setup_plot);

}  // namespace twolayer::tool
