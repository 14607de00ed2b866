#include "share.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "../usage_error.hpp"

namespace twolayer::tool {

namespace {

// The error's kind on the wire.
enum class error_kind : std::uint8_t { none = 0, runtime = 1, usage = 2 };

void put_u64(std::string& out, std::uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = char((v >> (8 * i)) & 0xff);  // little-endian on every host
    out.append(b, 8);
}

void put_string(std::string& out, const std::string& s) {
    put_u64(out, s.size());
    out += s;
}

// Reads the encoding front to back, refusing to read past its end.
class reader {
public:
    explicit reader(const std::string& bytes) : bytes_(bytes) {}
    std::uint64_t u64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= std::uint64_t(std::uint8_t(bytes_[pos_ + std::size_t(i)])) << (8 * i);
        pos_ += 8;
        return v;
    }
    std::string string() {
        const std::uint64_t n = u64();
        need(n);
        std::string s = bytes_.substr(pos_, std::size_t(n));
        pos_ += std::size_t(n);
        return s;
    }
    bool at_end() const { return pos_ == bytes_.size(); }

private:
    void need(std::uint64_t n) const {
        if (n > bytes_.size() - pos_) throw std::runtime_error("job runner: a rank's results are truncated");
    }
    const std::string& bytes_;
    std::size_t pos_ = 0;
};

// The kind and message of an exception, for another process to throw again.
std::pair<error_kind, std::string> describe(const std::exception_ptr& e) {
    if (!e) return {error_kind::none, ""};
    try {
        std::rethrow_exception(e);
    } catch (const usage_error& u) {
        return {error_kind::usage, u.what()};
    } catch (const std::exception& x) {
        return {error_kind::runtime, x.what()};
    } catch (...) {
        return {error_kind::runtime, "a job threw an exception that is not a std::exception"};
    }
}

std::exception_ptr rebuild(error_kind kind, const std::string& message) {
    if (kind == error_kind::none) return nullptr;
    if (kind == error_kind::usage) return std::make_exception_ptr(usage_error(message));
    return std::make_exception_ptr(std::runtime_error(message));
}

}  // namespace

std::vector<long> round_robin_share(long count, int rank, int ranks) {
    std::vector<long> jobs;
    for (long j = rank; j < count; j += ranks) jobs.push_back(j);
    return jobs;
}

std::string encode_share(const share_outcome& s) {
    std::string out;
    const auto [kind, message] = describe(s.error);
    put_u64(out, std::uint64_t(kind));
    put_u64(out, std::uint64_t(s.failed_job + 1));  // -1 (none) as 0
    put_string(out, message);
    put_u64(out, s.jobs.size());
    put_u64(out, s.results.size());
    for (long j : s.jobs) put_u64(out, std::uint64_t(j));
    for (const job_result& r : s.results) {
        put_u64(out, r.failed ? 1 : 0);
        put_string(out, r.rows);
        put_string(out, r.message);
    }
    return out;
}

share_outcome decode_share(const std::string& bytes) {
    reader in(bytes);
    share_outcome s;
    const std::uint64_t kind = in.u64();
    if (kind > std::uint64_t(error_kind::usage)) throw std::runtime_error("job runner: a rank's results are corrupt");
    s.failed_job = long(in.u64()) - 1;
    s.error = rebuild(error_kind(kind), in.string());
    const std::uint64_t jobs = in.u64(), results = in.u64();
    // Each entry takes at least 8 bytes: a count past that is corrupt, not a reason to allocate.
    if (jobs > bytes.size() / 8 || results > bytes.size() / 8)
        throw std::runtime_error("job runner: a rank's results are truncated");
    for (std::uint64_t i = 0; i < jobs; ++i) s.jobs.push_back(long(in.u64()));
    for (std::uint64_t i = 0; i < results; ++i) {
        job_result r;
        r.failed = in.u64() != 0;
        r.rows = in.string();
        r.message = in.string();
        s.results.push_back(std::move(r));
    }
    if (!in.at_end()) throw std::runtime_error("job runner: a rank's results have trailing bytes");
    return s;
}

std::vector<job_result> merge_shares(long count, std::vector<share_outcome>& shares) {
    const share_outcome* first_failure = nullptr;
    for (const share_outcome& s : shares)
        if (s.error && (!first_failure || s.failed_job < first_failure->failed_job)) first_failure = &s;
    if (first_failure) std::rethrow_exception(first_failure->error);

    std::vector<job_result> results(static_cast<std::size_t>(count));
    std::vector<char> seen(static_cast<std::size_t>(count), 0);
    for (share_outcome& s : shares) {
        if (s.jobs.size() != s.results.size()) throw std::logic_error("job runner: a share's results do not match its jobs");
        for (std::size_t i = 0; i < s.jobs.size(); ++i) {
            const long j = s.jobs[i];
            if (j < 0 || j >= count || seen[std::size_t(j)]) throw std::logic_error("job runner: a job is in two shares");
            seen[std::size_t(j)] = 1;
            results[std::size_t(j)] = std::move(s.results[i]);
        }
    }
    for (long j = 0; j < count; ++j)
        if (!seen[std::size_t(j)]) throw std::logic_error("job runner: job " + std::to_string(j) + " is in no share");
    return results;
}

}  // namespace twolayer::tool
