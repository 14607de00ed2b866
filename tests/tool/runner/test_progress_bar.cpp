// The progress bar's text for given numbers, and the monitor's drawing and clearing.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <mutex>
#include <string>

#include "tool/runner/progress_bar.hpp"

namespace twolayer::tool {
namespace {

progress_state state(const char* label, double done, long jobs_done, long total, double elapsed) {
    progress_state s;
    s.label = label;
    s.done = done;
    s.jobs_done = jobs_done;
    s.jobs_total = total;
    s.elapsed = elapsed;
    return s;
}

TEST(ProgressLine, FullLayoutAt80Columns) {
    // 9.5 of 20 jobs in 19 s: 47 %, 0.5 jobs/s shown as 2.0 s/job, 10.5 jobs left take 21 s;
    // "9" padded to the width of "20"; the bar gets the 18 cells that remain of 79 columns, 8 of
    // them filled (18 x 0.475).
    const std::string line = progress_line(state("train", 9.5, 9, 20, 19), 80);
    EXPECT_EQ(line, "train [########..........]  47%   9/20 jobs  2.0 s/job  elapsed 0:19  left 0:21");
    EXPECT_EQ(line.size(), 79u);
}

TEST(ProgressLine, RatesAboveOneJobPerSecond) {
    EXPECT_NE(progress_line(state("ode", 30, 30, 100, 10), 120).find("  30%   30/100 jobs  3.0 jobs/s  elapsed 0:10  left 0:23"),
              std::string::npos);
    EXPECT_NE(progress_line(state("ode", 2500, 2500, 5000, 10), 120).find(" 250 jobs/s "), std::string::npos);
    EXPECT_NE(progress_line(state("ode", 1, 1, 5000, 250), 120).find(" 250 s/job "), std::string::npos);
}

TEST(ProgressLine, PercentStaysBelow100UntilEveryJobIsDone) {
    EXPECT_NE(progress_line(state("t", 19.999, 19, 20, 5), 100).find(" 99%  19/20 jobs"), std::string::npos);
    const std::string done = progress_line(state("t", 20, 20, 20, 5), 100);
    EXPECT_NE(done.find("100%  20/20 jobs"), std::string::npos);
    EXPECT_EQ(done.find('.'), done.find("4.0 jobs/s") + 1);  // the bar has no empty cell left
    EXPECT_NE(done.find("left 0:00"), std::string::npos);
}

TEST(ProgressLine, NothingDoneYetHasNoRateNorTimeLeft) {
    const std::string line = progress_line(state("train", 0, 0, 8, 3), 100);
    EXPECT_NE(line.find("train [..........."), std::string::npos);
    EXPECT_NE(line.find("  0%  0/8 jobs  -- jobs/s  elapsed 0:03  left --:--"), std::string::npos);
}

TEST(ProgressLine, NarrowTerminalDropsTheBarThenCuts) {
    const std::string line = progress_line(state("train", 9.5, 9, 20, 19), 40);
    EXPECT_EQ(line, "train  47%   9/20 jobs  2.0 s/job  elap");
    EXPECT_EQ(progress_line(state("train", 1, 1, 2, 1), 1), "");
}

TEST(ProgressLine, NeverWiderThanTheTerminalLessOneColumn) {
    for (int width = 1; width <= 200; ++width) {
        const std::string line = progress_line(state("a label", 3.25, 3, 7, 12.5), width);
        EXPECT_LE(long(line.size()), width - 1) << "width " << width;
    }
    EXPECT_EQ(progress_line(state("x", 1, 1, 2, 1), 500).find("[" + std::string(25, '#') + std::string(25, '.') + "]"), 2u);
}

TEST(ProgressLine, EmptyLabelStartsWithTheBar) {
    EXPECT_EQ(progress_line(state("", 1, 1, 2, 1), 80).substr(0, 2), "[#");
}

TEST(FormatDuration, MinutesHoursAndNonsense) {
    EXPECT_EQ(format_duration(0), "0:00");
    EXPECT_EQ(format_duration(59.9), "0:59");
    EXPECT_EQ(format_duration(61), "1:01");
    EXPECT_EQ(format_duration(3599), "59:59");
    EXPECT_EQ(format_duration(3600), "1:00:00");
    EXPECT_EQ(format_duration(3725), "1:02:05");
    EXPECT_EQ(format_duration(360000), "100:00:00");
    EXPECT_EQ(format_duration(-1), "--:--");
    EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "--:--");
    EXPECT_EQ(format_duration(std::nan("")), "--:--");
}

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string s;
    for (int c; (c = std::fgetc(f)) != EOF;) s += char(c);
    return s;
}

TEST(ProgressMonitor, DrawsFromItsThreadAndClearsTheLineAtTheEnd) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    std::mutex m;
    std::condition_variable cv;
    int samples = 0;
    {
        progress_monitor monitor(
            "probe", 4,
            [&] {
                std::lock_guard<std::mutex> lock(m);
                ++samples;
                cv.notify_all();
                return progress_monitor::counts{1.5, 1};
            },
            f, std::chrono::milliseconds(1));
        std::unique_lock<std::mutex> lock(m);
        // waits for two draws (the timeout only keeps a broken monitor from hanging the test)
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return samples >= 2; }));
    }
    const std::string out = read_all(f);
    std::fclose(f);
    EXPECT_EQ(out.substr(0, 7), "\rprobe ");
    EXPECT_NE(out.find(" 37%  1/4 jobs"), std::string::npos);
    EXPECT_EQ(out.substr(out.size() - 4), "\r\033[K");
}

TEST(ProgressMonitor, ARunShorterThanOneIntervalLeavesNoTrace) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    std::atomic<int> samples{0};
    {
        progress_monitor monitor("probe", 4, [&] { return ++samples, progress_monitor::counts{0, 0}; }, f,
                                 std::chrono::hours(1));
    }
    EXPECT_EQ(samples.load(), 0);
    EXPECT_EQ(read_all(f), "");
    std::fclose(f);
}

}  // namespace
}  // namespace twolayer::tool
