// Umbrella header: the whole device library.
#pragma once
#include "twolayer/kernels/default_arch.hpp"  // first: the default arch with its kernels, before any use
#include "twolayer/core/storage.hpp"
#include "twolayer/train/rounding.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/model/activation.hpp"
#include "twolayer/model/convert.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/teacher/rng.hpp"
#include "twolayer/train/batch_gd.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/train/online_sgd.hpp"
