// The shares of the MPI split: the round-robin split, the bytes a rank sends to rank 0, and the
// merge back into job order (pure functions: the MPI path's data handling, tested without MPI).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "tool/runner/share.hpp"
#include "tool/usage_error.hpp"

namespace twolayer::tool {
namespace {

job_result result(std::string rows, bool failed = false, std::string message = "") {
    job_result r;
    r.rows = std::move(rows);
    r.failed = failed;
    r.message = std::move(message);
    return r;
}

// The share of `rank` whose job j's rows are "row j".
share_outcome share_of(long count, int rank, int ranks) {
    share_outcome s;
    s.jobs = round_robin_share(count, rank, ranks);
    for (long j : s.jobs) s.results.push_back(result("row " + std::to_string(j) + "\n"));
    return s;
}

TEST(RoundRobinShare, EveryJobInExactlyOneShare) {
    EXPECT_EQ(round_robin_share(10, 1, 3), (std::vector<long>{1, 4, 7}));
    EXPECT_EQ(round_robin_share(2, 3, 4), std::vector<long>{});
    for (long count : {0L, 1L, 7L, 64L}) {
        for (int ranks : {1, 2, 3, 5}) {
            std::vector<int> seen(std::size_t(count), 0);
            for (int r = 0; r < ranks; ++r) {
                const auto jobs = round_robin_share(count, r, ranks);
                EXPECT_LE(long(jobs.size()), count / ranks + 1);
                EXPECT_GE(long(jobs.size()), count / ranks);
                for (long j : jobs) ++seen[std::size_t(j)];
            }
            for (int n : seen) EXPECT_EQ(n, 1);
        }
    }
}

TEST(EncodeShare, RoundTripKeepsEveryByte) {
    share_outcome s;
    s.jobs = {4, 1, 9};
    s.results = {result(std::string("a,1\nb\0,2\n", 10)), result("", true, "job 1 diverged at step 12"),
                 result(std::string(100000, 'x'))};
    const share_outcome d = decode_share(encode_share(s));
    EXPECT_EQ(d.jobs, s.jobs);
    ASSERT_EQ(d.results.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(d.results[i].rows, s.results[i].rows);
        EXPECT_EQ(d.results[i].failed, s.results[i].failed);
        EXPECT_EQ(d.results[i].message, s.results[i].message);
    }
    EXPECT_EQ(d.failed_job, -1);
    EXPECT_FALSE(d.error);
}

TEST(EncodeShare, AUsageErrorStaysAUsageError) {
    share_outcome s;
    s.jobs = {3};
    s.failed_job = 3;
    s.error = std::make_exception_ptr(usage_error("--data", "x.npy", "no such file"));
    const share_outcome d = decode_share(encode_share(s));
    EXPECT_EQ(d.failed_job, 3);
    ASSERT_TRUE(d.error);
    try {
        std::rethrow_exception(d.error);
        FAIL() << "no exception";
    } catch (const usage_error& e) {
        EXPECT_STREQ(e.what(), "--data x.npy: no such file");
    }
}

TEST(EncodeShare, OtherErrorsBecomeRuntimeErrorsWithTheirMessage) {
    share_outcome s;
    s.jobs = {0};
    s.failed_job = 0;
    s.error = std::make_exception_ptr(std::out_of_range("job 0: index 7"));
    const share_outcome d = decode_share(encode_share(s));
    try {
        std::rethrow_exception(d.error);
        FAIL() << "no exception";
    } catch (const usage_error&) {
        FAIL() << "became a usage_error";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "job 0: index 7");
    }
}

TEST(DecodeShare, RefusesTruncatedOrTrailingBytes) {
    const std::string bytes = encode_share(share_of(5, 0, 2));
    for (std::size_t n = 0; n < bytes.size(); ++n)
        EXPECT_THROW(decode_share(bytes.substr(0, n)), std::runtime_error) << "prefix " << n;
    EXPECT_THROW(decode_share(bytes + "x"), std::runtime_error);
    std::string bad_kind = bytes;
    bad_kind[0] = 7;
    EXPECT_THROW(decode_share(bad_kind), std::runtime_error);
}

TEST(MergeShares, ResultsInJobOrderWhateverTheShareOrder) {
    std::vector<share_outcome> shares = {share_of(7, 2, 3), share_of(7, 0, 3), share_of(7, 1, 3)};
    const auto results = merge_shares(7, shares);
    ASSERT_EQ(results.size(), 7u);
    for (long j = 0; j < 7; ++j) EXPECT_EQ(results[std::size_t(j)].rows, "row " + std::to_string(j) + "\n");
}

TEST(MergeShares, AMissingOrDoubledJobIsALogicError) {
    std::vector<share_outcome> missing = {share_of(6, 0, 2)};
    EXPECT_THROW(merge_shares(6, missing), std::logic_error);
    std::vector<share_outcome> twice = {share_of(6, 0, 2), share_of(6, 1, 2), share_of(6, 1, 2)};
    EXPECT_THROW(merge_shares(6, twice), std::logic_error);
}

TEST(MergeShares, RethrowsTheLowestFailedJobOverAllShares) {
    std::vector<share_outcome> shares = {share_of(9, 0, 3), share_of(9, 1, 3), share_of(9, 2, 3)};
    shares[0].failed_job = 6;
    shares[0].error = std::make_exception_ptr(std::runtime_error("job 6 failed"));
    shares[2].failed_job = 5;
    shares[2].error = std::make_exception_ptr(std::runtime_error("job 5 failed"));
    try {
        merge_shares(9, shares);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "job 5 failed");
    }
}

}  // namespace
}  // namespace twolayer::tool
