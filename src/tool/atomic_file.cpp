#include "atomic_file.hpp"

#include <cstdio>
#include <stdexcept>
#include <unistd.h>

#include "usage_error.hpp"

namespace twolayer::tool {

atomic_file::atomic_file(std::string path, std::string option)
    : path_(std::move(path)), tmp_(path_ + ".tmp." + std::to_string(::getpid())), option_(std::move(option)) {
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw usage_error(option_, path_, "cannot create the file (does its directory exist?)");
}

atomic_file::~atomic_file() {
    if (!committed_) {
        out_.close();
        std::remove(tmp_.c_str());
    }
}

void atomic_file::commit() {
    out_.flush();
    const bool written = bool(out_);
    out_.close();
    if (!written || out_.fail()) throw std::runtime_error(path_ + ": writing failed (disk full?)");
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) throw std::runtime_error(path_ + ": cannot replace the file");
    committed_ = true;
}

}  // namespace twolayer::tool
