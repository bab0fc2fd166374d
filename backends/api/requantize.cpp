#include "backends/api/requantize.h"

namespace tconv {

__int128 round_shift(__int128 v, int shift, Rounding mode) {
  if (shift <= 0) return v;
  // Arithmetic shift = floor; rem in [0, 2^shift) is what floor dropped.
  const __int128 q = v >> shift;
  const __int128 rem = v - (q << shift);
  const __int128 half = static_cast<__int128>(1) << (shift - 1);
  switch (mode) {
    case Rounding::floor: return q;
    case Rounding::trunc: return (v < 0 && rem != 0) ? q + 1 : q;
    case Rounding::half_up: return rem >= half ? q + 1 : q;
    case Rounding::half_away:
      // A negative tie's floor already lies away from zero.
      return (rem > half || (rem == half && v >= 0)) ? q + 1 : q;
    case Rounding::nearest_even: return (rem > half || (rem == half && (q & 1))) ? q + 1 : q;
  }
  return q;
}

std::int64_t requantize(std::int64_t acc, const Quant& q, DType out) {
  const __int128 scaled = static_cast<__int128>(acc) * q.multiplier;
  const __int128 y = q.zp_y + round_shift(scaled, static_cast<int>(q.shift), q.rounding);
  const __int128 lo = int_min(out), hi = int_max(out);
  return static_cast<std::int64_t>(y < lo ? lo : y > hi ? hi : y);
}

}  // namespace tconv
