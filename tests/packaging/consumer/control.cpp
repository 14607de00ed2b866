// consumer_control: main.cpp compiled with -ffp-contract=fast (CMakeLists.txt), expecting it.
#define CONSUMER_EXPECT_CONTRACT_OFF 0
#include "main.cpp"
