// How to turn a tensor stored in one layout into another: the numpy transpose axes, so that
// np.transpose(t, axes) is the tensor in the target layout. This is the step a Keras-to-cuDNN
// port gets wrong: a Keras kernel (kH, kW, C_out, C_in) = HWOI must become KRSC = IHWO with
// axes (3, 0, 1, 2); copied as-is it still "works" for a constant filter.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "backends/api/layout.h"

namespace tconv::conventions {

using Axes = std::array<int, 4>;

// Axes for np.transpose between two data layouts or two weight layouts that are plain
// permutations of each other (NCHW, NHWC; IOHW, IHWO, HWOI). nullopt for OIHW_FLIPPED (a
// regrouping and a spatial flip, not a transpose) and for mixed kinds.
std::optional<Axes> transpose_axes(Layout from, Layout to);

// One line of numpy for the conversion of tensor `name`: "none (already IHWO)",
// "np.transpose(w, (3, 0, 1, 2))", or the reshape/flip sequence for OIHW_FLIPPED.
std::string conversion_code(Layout from, Layout to, std::int64_t groups, const std::string& name = "w");

// "(3, 0, 1, 2)"
std::string axes_text(const Axes& a);

}  // namespace tconv::conventions
