// --repeat-check: the same call twice on the same inputs, the two outputs compared bit for
// bit. A backend that claims determinism (the row's `deterministic`) and differs is wrong;
// one that makes no claim reports how far apart its two runs are (column repeat_max_diff).
#pragma once

#include <cstdint>
#include <string>

#include "backends/api/tensor.h"

namespace tconv {

struct RepeatDifference {
  std::int64_t differing = 0;  // elements whose bits differ
  std::int64_t elements = 0;
  double max_abs_diff = 0;     // over differing elements; inf where one side is NaN or Inf
  std::int64_t first_offset = -1;

  bool identical() const { return differing == 0; }
  // "3 of 120 elements differ bitwise between two runs on the same inputs (max |diff| 1e-07)"
  std::string describe() const;
};

// a and b have the same dtype, layout and dims (two outputs of one call).
RepeatDifference compare_bitwise(const HostTensor& a, const HostTensor& b);

}  // namespace tconv
