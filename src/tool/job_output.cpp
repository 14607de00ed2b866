#include "job_output.hpp"

#include <cstdio>
#include <iostream>

namespace twolayer::tool {

int write_job_rows(std::optional<atomic_file>& file, const char* header, const std::vector<job_result>& results,
                   const char* command) {
    std::ostream& os = file ? static_cast<std::ostream&>(file->stream()) : std::cout;
    os << header;
    int code = 0;
    for (const job_result& j : results) {
        os << j.rows;
        if (j.failed) {
            std::fprintf(stderr, "twolayer %s: %s\n", command, j.message.c_str());
            code = 1;
        }
    }
    if (file) file->commit();
    else std::cout.flush();
    return code;
}

}  // namespace twolayer::tool
