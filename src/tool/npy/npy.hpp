// The tool's .npy I/O (NumPy's array file format), in one include: a strict reader, a writer
// NumPy reads back exactly, and the checks the tool applies to what it reads. See docs/TOOL.md,
// section "npy", for what is accepted and why xtensor's xnpy is not used.
#pragma once
#include "array.hpp"
#include "check.hpp"
#include "read.hpp"
#include "write.hpp"
