// The declared requantization of an integer problem (Quant in problem.h), as plain integer
// arithmetic: the one definition the oracle uses and tests pin down with hand examples.
#pragma once

#include <cstdint>

#include "backends/api/problem.h"

namespace tconv {

// v / 2^shift rounded per mode (shift >= 0; ties are exact halves). 128-bit so that
// acc*multiplier (< 2^94 for a valid problem) never overflows.
__int128 round_shift(__int128 v, int shift, Rounding mode);

// clamp(q.zp_y + round_shift(acc * q.multiplier, q.shift), int_min(out), int_max(out)).
std::int64_t requantize(std::int64_t acc, const Quant& q, DType out);

}  // namespace tconv
