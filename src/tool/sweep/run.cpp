#include "run.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include "../atomic_file.hpp"
#include "../job_runner.hpp"
#include "../usage_error.hpp"
#include "job.hpp"
#include "record.hpp"
#include "table.hpp"

namespace twolayer::tool::sweep {

namespace {

// The output files, opened before any work (so a bad path fails first and leaves nothing).
struct outputs {
    std::optional<atomic_file> csv, table;
    explicit outputs(const output_options& o, bool with_table) {
        if (!o.out.empty()) csv.emplace(o.out, "--out");
        if (with_table && !o.markdown.empty() && o.markdown != "-") table.emplace(o.markdown, "--markdown");
    }
    void write(const output_options& o, const std::string& csv_text, const std::string& table_text) {
        (csv ? static_cast<std::ostream&>(csv->stream()) : std::cout) << csv_text;
        if (o.markdown == "-") std::cout << "\n" << table_text;
        if (table) table->stream() << table_text;
        // Both complete before either is committed.
        if (csv) csv->commit();
        if (table) table->commit();
        std::cout.flush();
    }
};

std::vector<record> records_of(const std::string& rows, const std::string& source) {
    std::vector<record> out;
    std::size_t pos = 0;
    while (pos < rows.size()) {
        const std::size_t end = rows.find('\n', pos);
        out.push_back(parse_row(rows.substr(pos, end - pos), source));
        pos = end + 1;
    }
    return out;
}

// A shard CSV: its grid line, its shard line, the header, its runs.
struct shard_file {
    std::string grid_line;
    shard part;
    std::vector<record> runs;
};

shard_file read_shard(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("--merge", path, "cannot be read");
    shard_file f;
    std::string shard_line, header;
    if (!std::getline(in, f.grid_line) || !std::getline(in, shard_line) || !std::getline(in, header))
        throw usage_error("--merge", path, "too short for a shard of a sweep (grid line, shard line, header)");
    const std::string prefix = "# shard ";
    if (shard_line.compare(0, prefix.size(), prefix) != 0)
        throw usage_error("--merge", path, "its second line is not '# shard i/n' (a CSV of --shard runs)");
    f.part = parse_shard(shard_line.substr(prefix.size()), "--merge " + path);
    if (header + "\n" != csv_header) throw usage_error("--merge", path, "its third line is not the sweep's column line");
    for (std::string line; std::getline(in, line);) f.runs.push_back(parse_row(line, "--merge " + path));
    return f;
}

}  // namespace

int run_sweep(const grid& g, const shard& s, const output_options& o) {
    g.check();
    const bool sharded = s.count > 1;
    if (sharded && !o.markdown.empty())
        throw usage_error("--markdown", o.markdown, "not with --shard (a shard holds part of the seeds; --merge writes the table)");
    outputs files(o, !sharded);
    const std::vector<long> mine = s.jobs_of(g.jobs());
    runner_options ro;
    ro.threads = o.threads;
    ro.quiet = o.quiet;
    ro.label = "sweep";
    const std::vector<job_result> results = run_jobs(
        long(mine.size()), [&](long k, job_progress& p) { return run_sweep_job(g, mine[std::size_t(k)], p); }, ro);
    if (!is_writer()) return 0;
    std::vector<record> runs;
    for (const job_result& r : results) {
        const std::vector<record> rows = records_of(r.rows, "sweep");
        runs.insert(runs.end(), rows.begin(), rows.end());
    }
    order_runs(g, mine, runs, "sweep");
    files.write(o, sharded ? shard_text(g, s, runs) : csv_text(g, runs), sharded ? "" : markdown_text(g, runs));
    return 0;
}

int merge_shards(const std::vector<std::string>& paths, const output_options& o) {
    std::vector<shard_file> files;
    for (const std::string& p : paths) files.push_back(read_shard(p));
    const std::string& line = files.front().grid_line;
    const grid g = parse_grid_line(line, "--merge " + paths.front());
    const long n = files.front().part.count;
    std::set<long> seen;
    std::vector<record> runs;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const shard_file& f = files[i];
        if (f.grid_line != line)
            throw usage_error("--merge", paths[i], "a shard of another grid than " + paths.front() + " (their first lines differ)");
        if (f.part.count != n)
            throw usage_error("--merge", paths[i], "shard " + f.part.line().substr(8) + ", but " + paths.front() + " is one of " + std::to_string(n));
        if (!seen.insert(f.part.index).second)
            throw usage_error("--merge", paths[i], "shard " + std::to_string(f.part.index) + " is given twice");
        std::vector<record> mine = f.runs;
        order_runs(g, f.part.jobs_of(g.jobs()), mine, "--merge " + paths[i]);
        runs.insert(runs.end(), mine.begin(), mine.end());
    }
    for (long i = 0; i < n; ++i)
        if (!seen.count(i)) throw usage_error("--merge", "", "shard " + std::to_string(i) + "/" + std::to_string(n) + " is missing");
    std::vector<long> all;
    for (long j = 0; j < g.jobs(); ++j) all.push_back(j);
    order_runs(g, all, runs, "--merge");
    outputs out(o, true);
    out.write(o, csv_text(g, runs), markdown_text(g, runs));
    return 0;
}

}  // namespace twolayer::tool::sweep
