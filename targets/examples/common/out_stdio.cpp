// The example firmware's output on the host: stdout.
#include <cstdio>

void example_write_line(const char* s) { std::printf("%s\n", s); }
