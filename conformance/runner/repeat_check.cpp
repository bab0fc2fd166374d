#include "conformance/runner/repeat_check.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "conformance/results/row.h"

namespace tconv {

RepeatDifference compare_bitwise(const HostTensor& a, const HostTensor& b) {
  RepeatDifference r;
  r.elements = a.numel();
  if (a.numel() == 0) return r;
  const std::size_t elem = a.bytes() / static_cast<std::size_t>(a.numel());
  const auto* pa = static_cast<const unsigned char*>(a.data());
  const auto* pb = static_cast<const unsigned char*>(b.data());
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    if (std::memcmp(pa + i * elem, pb + i * elem, elem) == 0) continue;
    if (r.first_offset < 0) r.first_offset = i;
    ++r.differing;
    const double va = a.get(i), vb = b.get(i);
    const double d = std::isfinite(va) && std::isfinite(vb) ? std::fabs(va - vb) : std::numeric_limits<double>::infinity();
    r.max_abs_diff = std::max(r.max_abs_diff, d);
  }
  return r;
}

std::string RepeatDifference::describe() const {
  return std::to_string(differing) + " of " + std::to_string(elements) +
         " elements differ bitwise between two runs on the same inputs (max |diff| " + format_real(max_abs_diff) + ")";
}

}  // namespace tconv
