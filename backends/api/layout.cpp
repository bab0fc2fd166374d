#include "backends/api/layout.h"

namespace tconv {

std::string_view to_string(Layout l) {
  switch (l) {
    case Layout::NCHW: return "NCHW";
    case Layout::NHWC: return "NHWC";
    case Layout::IOHW: return "IOHW";
    case Layout::IHWO: return "IHWO";
    case Layout::HWOI: return "HWOI";
    case Layout::OIHW_FLIPPED: return "OIHW_FLIPPED";
    case Layout::X: return "X";
  }
  return "?";
}

std::optional<Layout> parse_layout(std::string_view s) {
  for (Layout l : {Layout::NCHW, Layout::NHWC, Layout::IOHW, Layout::IHWO, Layout::HWOI,
                   Layout::OIHW_FLIPPED, Layout::X})
    if (to_string(l) == s) return l;
  return std::nullopt;
}

bool is_data_layout(Layout l) { return l == Layout::NCHW || l == Layout::NHWC; }

bool is_weight_layout(Layout l) {
  return l == Layout::IOHW || l == Layout::IHWO || l == Layout::HWOI || l == Layout::OIHW_FLIPPED;
}

int physical_rank(Layout l) { return l == Layout::X ? 1 : 4; }

Dims physical_dims(Layout l, const Dims& d, std::int64_t groups) {
  switch (l) {
    case Layout::NCHW:
    case Layout::IOHW: return d;
    case Layout::NHWC: return {d[0], d[2], d[3], d[1]};
    case Layout::IHWO: return {d[0], d[2], d[3], d[1]};
    case Layout::HWOI: return {d[2], d[3], d[1], d[0]};
    case Layout::OIHW_FLIPPED: return {d[1] * groups, d[0] / groups, d[2], d[3]};
    case Layout::X: return {d[0], 1, 1, 1};
  }
  return d;
}

std::int64_t element_offset(Layout l, const Dims& d, std::int64_t groups, const Dims& i) {
  switch (l) {
    case Layout::NCHW:
    case Layout::IOHW: return ((i[0] * d[1] + i[1]) * d[2] + i[2]) * d[3] + i[3];
    case Layout::NHWC:
    case Layout::IHWO: return ((i[0] * d[2] + i[2]) * d[3] + i[3]) * d[1] + i[1];
    case Layout::HWOI: return ((i[2] * d[3] + i[3]) * d[1] + i[1]) * d[0] + i[0];
    case Layout::OIHW_FLIPPED: {
      // Transposed weight w[ci][o] of group g = ci / (C_in/g) is the direct convolution's
      // w'[g*(C_out/g) + o][ci % (C_in/g)] with both spatial axes reversed.
      const std::int64_t in_per_group = d[0] / groups;
      const std::int64_t g = i[0] / in_per_group;
      const std::int64_t co = g * d[1] + i[1];
      const std::int64_t ci = i[0] % in_per_group;
      return ((co * in_per_group + ci) * d[2] + (d[2] - 1 - i[2])) * d[3] + (d[3] - 1 - i[3]);
    }
    case Layout::X: return i[0];
  }
  return 0;
}

}  // namespace tconv
