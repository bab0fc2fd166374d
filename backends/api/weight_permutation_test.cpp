#include "backends/api/weight_permutation.h"

#include <gtest/gtest.h>

#include <vector>

namespace tconv::conventions {
namespace {

// A tensor of logical dims `d` stored in layout l, each element holding a code of its logical index.
std::vector<std::int64_t> stored(Layout l, const Dims& d) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(d[0] * d[1] * d[2] * d[3]));
  for (std::int64_t a = 0; a < d[0]; ++a)
    for (std::int64_t b = 0; b < d[1]; ++b)
      for (std::int64_t c = 0; c < d[2]; ++c)
        for (std::int64_t e = 0; e < d[3]; ++e)
          v[static_cast<std::size_t>(element_offset(l, d, 1, {a, b, c, e}))] = ((a * 10 + b) * 10 + c) * 10 + e;
  return v;
}

// numpy's np.transpose(t, axes) of a C-order array with shape `shape`, made contiguous.
std::vector<std::int64_t> np_transpose(const std::vector<std::int64_t>& t, const Dims& shape, const Axes& axes) {
  Dims out_shape;
  for (int k = 0; k < 4; ++k) out_shape[k] = shape[axes[k]];
  std::vector<std::int64_t> out(t.size());
  std::size_t o = 0;
  Dims j{};
  for (j[0] = 0; j[0] < out_shape[0]; ++j[0])
    for (j[1] = 0; j[1] < out_shape[1]; ++j[1])
      for (j[2] = 0; j[2] < out_shape[2]; ++j[2])
        for (j[3] = 0; j[3] < out_shape[3]; ++j[3]) {
          Dims src{};
          for (int k = 0; k < 4; ++k) src[axes[k]] = j[k];
          out[o++] = t[static_cast<std::size_t>(((src[0] * shape[1] + src[1]) * shape[2] + src[2]) * shape[3] + src[3])];
        }
  return out;
}

TEST(WeightPermutation, KerasKernelToCudnnKrsc) {
  // The motivating case: Keras (kH, kW, C_out, C_in) -> cuDNN KRSC (C_in, kH, kW, C_out).
  ASSERT_TRUE(transpose_axes(Layout::HWOI, Layout::IHWO));
  EXPECT_EQ(*transpose_axes(Layout::HWOI, Layout::IHWO), (Axes{3, 0, 1, 2}));
  EXPECT_EQ(*transpose_axes(Layout::HWOI, Layout::IOHW), (Axes{3, 2, 0, 1}));
  EXPECT_EQ(*transpose_axes(Layout::NHWC, Layout::NCHW), (Axes{0, 3, 1, 2}));
  EXPECT_EQ(conversion_code(Layout::HWOI, Layout::IHWO, 1), "np.transpose(w, (3, 0, 1, 2))");
  EXPECT_EQ(conversion_code(Layout::IOHW, Layout::IOHW, 1), "none (already IOHW)");
}

TEST(WeightPermutation, EveryPairIsTheRealTranspose) {
  const Dims logical{2, 3, 4, 5};  // distinct sizes: a wrong axis changes the shape or the values
  const Layout weights[] = {Layout::IOHW, Layout::IHWO, Layout::HWOI};
  for (Layout from : weights)
    for (Layout to : weights) {
      const auto axes = transpose_axes(from, to);
      ASSERT_TRUE(axes);
      EXPECT_EQ(np_transpose(stored(from, logical), physical_dims(from, logical, 1), *axes), stored(to, logical))
          << to_string(from) << " -> " << to_string(to);
    }
  const Dims data{2, 3, 4, 5};
  EXPECT_EQ(np_transpose(stored(Layout::NHWC, data), physical_dims(Layout::NHWC, data, 1), *transpose_axes(Layout::NHWC, Layout::NCHW)),
            stored(Layout::NCHW, data));
}

TEST(WeightPermutation, FlippedIsNoTranspose) {
  EXPECT_FALSE(transpose_axes(Layout::IOHW, Layout::OIHW_FLIPPED));
  EXPECT_FALSE(transpose_axes(Layout::NCHW, Layout::IOHW));
  EXPECT_EQ(conversion_code(Layout::IOHW, Layout::OIHW_FLIPPED, 1), "np.flip(np.transpose(w, (1, 0, 2, 3)), (2, 3))");
  EXPECT_NE(conversion_code(Layout::HWOI, Layout::OIHW_FLIPPED, 2).find("reshape(2, I // 2"), std::string::npos);
}

}  // namespace
}  // namespace tconv::conventions
