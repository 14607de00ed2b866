// A sharpness workspace with more Lanczos steps than the network has parameters wastes its storage.
// expect-error: more Lanczos steps than the network has parameters
#include "twolayer/analysis/sharpness.hpp"
twolayer::sharpness_workspace<double, 4, 2, 20> ws;
