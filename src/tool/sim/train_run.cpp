#include "train_run.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>

#include "../atomic_file.hpp"
#include "../job_output.hpp"
#include "chain.hpp"
#include "eps_g.hpp"
#include "file_inputs.hpp"
#include "snapshots.hpp"

namespace twolayer::tool {

const char* const train_csv_header = "chain,t,eps_g,train_loss,eps_g_se,step,refused\n";

namespace {

// Steps per advance() between progress reports (online; a GD step is a pass over the dataset).
constexpr std::uint64_t online_chunk = 8192;

// Job j's initial weights: drawn from its streams, the teacher replaced by --teacher's if given.
initial_weights start_of(const train_settings& s, long job) {
    initial_weights w = draw_initial_weights(s.model, job);
    if (s.read && s.read->has_teacher()) {
        w.W_star = s.read->W_star;
        w.v_star = s.read->v_star;
    }
    return w;
}

// One chain from start to end: its rows, and the files it writes at its report times.
class chain_run {
public:
    chain_run(const train_settings& s, long job)
        : s_(s), job_(job), start_(start_of(s, job)), teacher_(start_, s.model.teacher_act),
          chain_(make_chain({s, job, start_, teacher_})), meter_(s, job, start_, teacher_), now_(start_) {}

    job_result run(job_progress& progress) {
        const std::uint64_t total = total_steps(s_);
        const bool online = s_.samples == 0;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        report(0, online ? nan : chain_->dataset_loss(), false);
        std::uint64_t done = 0;
        for (const std::uint64_t next : report_steps(total, s_.reports)) {
            if (next == 0) continue;
            const std::uint64_t from = done;
            const advance_result r = advance_in_chunks(*chain_, next - done, online ? online_chunk : 1,
                                                       [&](std::uint64_t d) { progress.set(double(from + d) / double(total)); });
            done += r.done;
            const double mean_loss = r.done ? r.loss_sum / double(r.done) : nan;
            if (r.status != step_status::ok) {
                report(done, online ? mean_loss : chain_->dataset_loss(), true);
                return finish(done, r.status);
            }
            report(done, online ? mean_loss : chain_->dataset_loss(), false);
            if (progress.stopping()) return std::move(out_);  // another job threw: this result is dropped
        }
        return finish(done, step_status::ok);
    }

private:
    // The row at `step` (and the order parameters' snapshot).
    void report(std::uint64_t step, double loss, bool refused) {
        const eps_g_value e = meter_.measure(*chain_);
        char b[256];
        std::snprintf(b, sizeof b, "%ld,%.12g,%.17g,%.17g,%.17g,%" PRIu64 ",%d\n", job_,
                      double(step) / double(s_.model.N), e.value, loss, e.se, step, refused ? 1 : 0);
        out_.rows += b;
        if (!s_.files.save_order.empty()) {
            chain_->student_weights(now_.W, now_.v);
            order_.add(double(step) / double(s_.model.N), now_);
        }
    }

    // The files at the end (also of a refused chain: the weights before the refused step), and
    // the failure's message.
    job_result finish(std::uint64_t step, step_status status) {
        if (!s_.files.save_order.empty()) order_.write(chain_dir(s_.files.save_order, job_, "--save-order"));
        if (!s_.files.save_weights.empty()) {
            chain_->student_weights(now_.W, now_.v);
            save_weights(chain_dir(s_.files.save_weights, job_, "--save-weights"), now_);
        }
        if (status != step_status::ok) {
            char msg[160];
            std::snprintf(msg, sizeof msg, "chain %ld: step %" PRIu64 " (t = %g): ", job_, step,
                          double(step) / double(s_.model.N));
            out_.failed = true;
            out_.message = msg + std::string(to_string(status));
        }
        return std::move(out_);
    }

    const train_settings& s_;
    long job_;
    initial_weights start_;
    teacher_network teacher_;
    std::unique_ptr<chain> chain_;
    eps_g_meter meter_;
    initial_weights now_;  // the student's current weights, with the teacher's
    order_snapshots order_;
    job_result out_;
};

}  // namespace

job_result run_train_chain(const train_settings& s, long job, job_progress& progress) {
    return chain_run(s, job).run(progress);
}

int run_train(train_settings s, const run_options& r) {
    s.read = read_file_inputs(s);
    check_settings(s);
    std::optional<atomic_file> file;
    if (!r.out.empty() && is_writer()) file.emplace(r.out, "--out");
    if (!s.files.save_weights.empty()) make_output_dir(s.files.save_weights, "--save-weights");
    if (!s.files.save_order.empty()) make_output_dir(s.files.save_order, "--save-order");
    runner_options ro;
    ro.threads = r.threads;
    ro.quiet = r.quiet;
    ro.label = "train";
    const std::vector<job_result> results =
        run_jobs(r.chains, [&](long job, job_progress& p) { return run_train_chain(s, job, p); }, ro);
    if (!is_writer()) return 0;
    const int code = write_job_rows(file, train_csv_header, results, "train");
    return code;
}

}  // namespace twolayer::tool
