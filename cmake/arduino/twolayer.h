// The Arduino library's header (library.properties: includes=twolayer.h): the whole library.
// The headers sit next to it under src/twolayer/, as they do under include/ in the repository,
// so "twolayer/..." includes work the same in a sketch, a PlatformIO project and a CMake build.
#pragma once
#include "twolayer/twolayer.hpp"
