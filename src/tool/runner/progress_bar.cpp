#include "progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace twolayer::tool {

namespace {

std::string printf_string(const char* fmt, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, value);
    return buf;
}

// Jobs per second, or seconds per job when a job takes longer than a second.
std::string format_rate(double rate) {
    if (!(rate > 0) || !std::isfinite(rate)) return "-- jobs/s";
    if (rate >= 1) return printf_string(rate >= 100 ? "%.0f jobs/s" : "%.1f jobs/s", rate);
    const double per_job = 1 / rate;
    return printf_string(per_job >= 100 ? "%.0f s/job" : "%.1f s/job", per_job);
}

// Everything right of the bar: percent, counts, rate, elapsed, left.
std::string progress_tail(const progress_state& s, double fraction) {
    long percent = long(std::floor(100 * fraction));
    if (s.jobs_done < s.jobs_total) percent = std::min(percent, 99L);
    const double rate = s.elapsed > 0 ? s.done / s.elapsed : 0;
    const double left = rate > 0 ? std::max(0.0, double(s.jobs_total) - s.done) / rate : -1;
    // jobs done padded to the width of the total, so that the line does not shift as it grows
    const int digits = int(std::to_string(s.jobs_total).size());
    char head[96];
    std::snprintf(head, sizeof head, "%3ld%%  %*ld/%ld jobs  ", percent, digits, s.jobs_done, s.jobs_total);
    return head + format_rate(rate) + "  elapsed " + format_duration(s.elapsed) + "  left " + format_duration(left);
}

}  // namespace

std::string format_duration(double seconds) {
    if (!(seconds >= 0) || seconds > 1e9) return "--:--";
    const long long n = (long long)std::floor(seconds);
    char buf[32];
    if (n >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", n / 3600, n / 60 % 60, n % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", n / 60, n % 60);
    return buf;
}

std::string progress_line(const progress_state& s, int width) {
    const double fraction = s.jobs_total > 0 ? std::clamp(s.done / double(s.jobs_total), 0.0, 1.0) : 1.0;
    const std::string head = s.label.empty() ? "" : s.label + " ";
    const std::string tail = progress_tail(s, fraction);
    const long room = long(width) - 1;
    const long cells = std::min(50L, room - long(head.size() + tail.size() + 3));
    if (cells < 10) return (head + tail).substr(0, std::size_t(std::max(0L, room)));
    const long filled = long(std::floor(double(cells) * fraction));
    return head + "[" + std::string(std::size_t(filled), '#') + std::string(std::size_t(cells - filled), '.') + "] " + tail;
}

int terminal_width(std::FILE* out) {
    winsize ws{};
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    if (const char* c = std::getenv("COLUMNS")) {
        const int n = std::atoi(c);
        if (n > 0) return n;
    }
    return 80;
}

progress_monitor::progress_monitor(std::string label, long total, sampler sample, std::FILE* out,
                                   std::chrono::milliseconds interval)
    : label_(std::move(label)), total_(total), sample_(std::move(sample)), out_(out), interval_(interval),
      start_(std::chrono::steady_clock::now()), thread_([this] { loop(); }) {}

progress_monitor::~progress_monitor() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (drawn_) {
        std::fputs("\r\033[K", out_);
        std::fflush(out_);
    }
}

void progress_monitor::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
        lock.unlock();
        draw();
        lock.lock();
    }
}

void progress_monitor::draw() {
    const counts c = sample_();
    shown_ = std::max(shown_, c.done);
    progress_state s;
    s.label = label_;
    s.done = shown_;
    s.jobs_done = c.jobs_done;
    s.jobs_total = total_;
    s.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    // \r back to the line's start, the line, then erase what a longer previous line left.
    std::fprintf(out_, "\r%s\033[K", progress_line(s, terminal_width(out_)).c_str());
    std::fflush(out_);
    drawn_ = true;
}

}  // namespace twolayer::tool
