// Memory layouts of the operator's tensors and the logical-index -> offset mapping.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tconv {

// Data tensors (x, y, dy, dx) have logical dims [N, C, H, W]; weights have logical dims
// [C_in, C_out/g, kH, kW] (the transposed operator's own order, I and O); bias is [C_out].
// The layout says how those logical dims are stored (docs/design.md section 3):
//   NCHW, NHWC                 data
//   IOHW                       weights as PyTorch / ONNX / cuDNN KCRS store them
//   IHWO                       cuDNN NHWC filter (KRSC): [C_in][kH][kW][C_out/g]
//   HWOI                       Keras / TF: (kH, kW, C_out/g, C_in)
//   OIHW_FLIPPED               the equivalent direct convolution's weights:
//                              [C_out][C_in/g][kH][kW], spatially flipped
//   X                          a plain 1-D vector (bias)
enum class Layout : std::uint8_t { NCHW, NHWC, IOHW, IHWO, HWOI, OIHW_FLIPPED, X };

inline constexpr Layout kDataLayouts[] = {Layout::NCHW, Layout::NHWC};
inline constexpr Layout kWeightLayouts[] = {Layout::IOHW, Layout::IHWO, Layout::HWOI,
                                            Layout::OIHW_FLIPPED};

std::string_view to_string(Layout l);
std::optional<Layout> parse_layout(std::string_view s);
bool is_data_layout(Layout l);
bool is_weight_layout(Layout l);

using Dims = std::array<std::int64_t, 4>;

// Shape as stored in memory (C order), e.g. NHWC -> [N, H, W, C], OIHW_FLIPPED ->
// [C_out, C_in/g, kH, kW]. For X: [d0]. `groups` only matters for OIHW_FLIPPED.
Dims physical_dims(Layout l, const Dims& logical, std::int64_t groups);
int physical_rank(Layout l);

// Element offset of logical index i in a densely packed tensor of layout l.
std::int64_t element_offset(Layout l, const Dims& logical, std::int64_t groups, const Dims& i);

}  // namespace tconv
