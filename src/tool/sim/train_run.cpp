#include "train_run.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>

#include "../atomic_file.hpp"
#include "chain.hpp"
#include "eps_g.hpp"

namespace twolayer::tool {

const char* const train_csv_header = "chain,t,eps_g,train_loss,eps_g_se,step,refused\n";

namespace {

// Steps per advance() between progress reports (online; a GD step is a pass over the dataset).
constexpr std::uint64_t online_chunk = 8192;

void append_row(std::string& rows, long chain, std::uint64_t step, long N, eps_g_value e, double loss, bool refused) {
    char b[256];
    std::snprintf(b, sizeof b, "%ld,%.12g,%.17g,%.17g,%.17g,%" PRIu64 ",%d\n", chain, double(step) / double(N), e.value,
                  loss, e.se, step, refused ? 1 : 0);
    rows += b;
}

}  // namespace

job_result run_train_chain(const train_settings& s, long job, job_progress& progress) {
    const initial_weights start = draw_initial_weights(s.model, job);
    teacher_network teacher(start, s.model.teacher_act);
    const std::unique_ptr<chain> c = make_chain({s, job, start, teacher});
    eps_g_meter meter(s, job, start, teacher);
    const bool online = s.samples == 0;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const long N = s.model.N;
    const std::uint64_t total = total_steps(s);
    job_result out;
    append_row(out.rows, job, 0, N, meter.measure(*c), online ? nan : c->dataset_loss(), false);
    std::uint64_t done = 0;
    for (const std::uint64_t next : report_steps(total, s.reports)) {
        if (next == 0) continue;
        double loss_sum = 0;
        std::uint64_t since = 0;
        while (done < next) {
            const std::uint64_t chunk = online ? std::min(next - done, online_chunk) : 1;
            const advance_result r = c->advance(chunk);
            done += r.done;
            since += r.done;
            loss_sum += r.loss_sum;
            progress.set(double(done) / double(total));
            if (r.status != step_status::ok) {
                const double loss = online ? (since ? loss_sum / double(since) : nan) : c->dataset_loss();
                append_row(out.rows, job, done, N, meter.measure(*c), loss, true);
                char msg[160];
                std::snprintf(msg, sizeof msg, "chain %ld: step %" PRIu64 " (t = %g): ", job, done, double(done) / double(N));
                out.failed = true;
                out.message = msg + std::string(to_string(r.status));
                return out;
            }
        }
        append_row(out.rows, job, done, N, meter.measure(*c), online ? loss_sum / double(since) : c->dataset_loss(), false);
    }
    return out;
}

int run_train(const train_settings& s, const run_options& r) {
    check_settings(s);
    std::optional<atomic_file> file;
    if (!r.out.empty() && is_writer()) file.emplace(r.out, "--out");
    runner_options ro;
    ro.threads = r.threads;
    ro.quiet = r.quiet;
    ro.label = "train";
    const std::vector<job_result> results =
        run_jobs(r.chains, [&](long job, job_progress& p) { return run_train_chain(s, job, p); }, ro);
    if (!is_writer()) return 0;
    std::ostream& os = file ? static_cast<std::ostream&>(file->stream()) : std::cout;
    os << train_csv_header;
    int code = 0;
    for (const job_result& j : results) {
        os << j.rows;
        if (j.failed) {
            std::fprintf(stderr, "twolayer train: %s\n", j.message.c_str());
            code = 1;
        }
    }
    if (file) file->commit();
    else std::cout.flush();
    return code;
}

}  // namespace twolayer::tool
