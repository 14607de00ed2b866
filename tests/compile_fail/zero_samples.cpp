// A dataset with no samples cannot be trained on.
// expect-error: M (samples) must be at least 1
#include "twolayer/twolayer.hpp"
twolayer::dataset<float, 0, 8> data;
