// A file that appears complete or not at all: written to a temporary name beside the target
// and renamed over it on commit(). Destroyed without commit() (an exception, a refused run), the
// temporary is removed and the target keeps what it held before.
#pragma once
#include <fstream>
#include <string>

namespace twolayer::tool {

/// An output file written atomically (temporary + rename). Throws usage_error naming `option` when
/// the file cannot be created (a directory that does not exist, no permission).
class atomic_file {
public:
    /// Opens "<path>.tmp.<pid>" for binary writing; option names the command-line option the path came
    /// from ("--out"), for the error message.
    atomic_file(std::string path, std::string option);
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;
    /// Removes the temporary unless committed.
    ~atomic_file();

    /// The stream to write to.
    std::ofstream& stream() { return out_; }
    /// Flushes, closes and renames the temporary over the target; throws std::runtime_error when
    /// a write failed (disk full) or the rename is refused.
    void commit();
    /// The target path.
    const std::string& path() const { return path_; }

private:
    std::string path_, tmp_, option_;
    std::ofstream out_;
    bool committed_ = false;
};

}  // namespace twolayer::tool
