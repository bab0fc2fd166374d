#include "backends/api/weight_permutation.h"

#include <string_view>

namespace tconv::conventions {

namespace {

// The logical axis stored at each physical position: N C H W for data, I O H W for weights.
// A layout's name spells them, but for the flipped kernel (not a plain permutation) and the
// one-axis bias.
std::optional<std::string_view> axis_letters(Layout l) {
  if (l == Layout::OIHW_FLIPPED || l == Layout::X) return std::nullopt;
  return to_string(l);
}

}  // namespace

std::optional<Axes> transpose_axes(Layout from, Layout to) {
  const auto a = axis_letters(from), b = axis_letters(to);
  if (!a || !b || is_data_layout(from) != is_data_layout(to)) return std::nullopt;
  Axes axes{};
  for (std::size_t i = 0; i < 4; ++i) axes[i] = static_cast<int>(a->find((*b)[i]));
  return axes;
}

std::string axes_text(const Axes& a) {
  return "(" + std::to_string(a[0]) + ", " + std::to_string(a[1]) + ", " + std::to_string(a[2]) + ", " +
         std::to_string(a[3]) + ")";
}

std::string conversion_code(Layout from, Layout to, std::int64_t groups, const std::string& name) {
  if (from == to) return "none (already " + std::string(to_string(to)) + ")";
  if (auto axes = transpose_axes(from, to)) return "np.transpose(" + name + ", " + axes_text(*axes) + ")";
  // OIHW_FLIPPED is the direct convolution's weight [C_out][C_in/g][kH][kW], spatially flipped:
  // go through IOHW [C_in][C_out/g][kH][kW], swapping I and O inside each group.
  const std::string g = std::to_string(groups);
  if (to == Layout::OIHW_FLIPPED) {
    std::string iohw = from == Layout::IOHW ? name : "np.transpose(" + name + ", " + axes_text(*transpose_axes(from, Layout::IOHW)) + ")";
    if (groups == 1) return "np.flip(np.transpose(" + iohw + ", (1, 0, 2, 3)), (2, 3))";
    return "I, O, kh, kw = " + iohw + ".shape; np.flip(" + iohw + ".reshape(" + g + ", I // " + g +
           ", O, kh, kw).transpose(0, 2, 1, 3, 4).reshape(" + g + " * O, I // " + g + ", kh, kw), (2, 3))";
  }
  if (from == Layout::OIHW_FLIPPED) {
    std::string iohw = groups == 1 ? "np.transpose(np.flip(" + name + ", (2, 3)), (1, 0, 2, 3))"
                                   : "(lambda f: f.reshape(" + g + ", f.shape[0] // " + g +
                                         ", *f.shape[1:]).transpose(0, 2, 1, 3, 4).reshape(" + g +
                                         " * f.shape[1], f.shape[0] // " + g + ", *f.shape[2:]))(np.flip(" + name + ", (2, 3)))";
    if (to == Layout::IOHW) return iohw;
    return "np.transpose(" + iohw + ", " + axes_text(*transpose_axes(Layout::IOHW, to)) + ")";
  }
  return "no conversion between " + std::string(to_string(from)) + " and " + std::string(to_string(to));
}

}  // namespace tconv::conventions
