// The progress bar of a run: one line on stderr, redrawn a few times per second by a monitor
// thread, cleared at the end. The line's text is a pure function of a few numbers (tested); the
// monitor only samples the workers' counters and draws.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace twolayer::tool {

/// What the bar shows at one moment.
struct progress_state {
    std::string label;    ///< the command ("train"); may be empty
    double done = 0;      ///< jobs done, counting the fraction of each running job
    long jobs_done = 0;   ///< jobs finished
    long jobs_total = 0;  ///< jobs of the run (of this rank's share under MPI)
    double elapsed = 0;   ///< seconds since the start
};

/// The bar's line for a terminal `width` columns wide: at most width - 1 characters (writing the
/// last column makes some terminals wrap), no newline. Layout:
///   "train [#####.....]  45%   9/20 jobs  1.5 jobs/s  elapsed 0:06  left 0:07"
/// (jobs done padded to the width of the total, so the line does not shift as it grows).
/// The percent is floor(100 done / total), at most 99 until every job has finished; the rate is
/// done / elapsed, shown as "s/job" when below one job per second; time left is the remaining
/// work at that rate. The bar is dropped when fewer than 10 cells fit, the text then cut.
std::string progress_line(const progress_state& s, int width);

/// "M:SS", or "H:MM:SS" from one hour; "--:--" for a negative, infinite or NaN duration.
std::string format_duration(double seconds);

/// The columns of the terminal on stream `out` (TIOCGWINSZ), else $COLUMNS, else 80.
int terminal_width(std::FILE* out);

/// Draws the bar on `out` from a monitor thread until destroyed, then clears the line. The
/// sampler (called from the monitor thread, so it must read atomics only) gives the counts; the
/// label, total and start time are fixed. Draws nothing before the first interval has passed, so
/// a run shorter than that leaves no trace.
class progress_monitor {
public:
    /// Done jobs (with running fractions) and finished jobs, as read at one moment.
    struct counts {
        double done;
        long jobs_done;
    };
    using sampler = std::function<counts()>;

    progress_monitor(std::string label, long total, sampler sample, std::FILE* out,
                     std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    progress_monitor(const progress_monitor&) = delete;
    progress_monitor& operator=(const progress_monitor&) = delete;
    /// Stops the monitor thread and clears the line if anything was drawn.
    ~progress_monitor();

private:
    void loop();
    void draw();

    std::string label_;
    long total_;
    sampler sample_;
    std::FILE* out_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point start_;
    double shown_ = 0;  // the bar never moves back (a job's fraction resets before it counts as done)
    bool drawn_ = false;
    bool stop_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread thread_;
};

}  // namespace twolayer::tool
