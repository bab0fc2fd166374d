#include "backends/onednn/onednn_descriptors.h"

#include <gtest/gtest.h>

namespace tconv::conventions {
namespace {

using V = std::vector<std::int64_t>;

TEST(OnednnDescriptors, DilationCountsFromZeroAndPaddingIsPerSide) {
  Problem p;
  p.n = 2;
  p.c_in = 4;
  p.c_out = 6;
  p.h_in = 5;
  p.w_in = 7;
  p.kh = p.kw = 3;
  p.stride_h = 2;
  p.dil_h = 1;
  p.dil_w = 3;
  p.crop_top = 1;
  p.crop_bottom = 0;
  p.crop_left = 2;
  p.crop_right = 3;
  const OnednnDeconvolution o = onednn_deconvolution(p);
  EXPECT_EQ(o.dilates, (V{0, 2}));
  EXPECT_EQ(o.padding_l, (V{1, 2}));
  EXPECT_EQ(o.padding_r, (V{0, 3}));
  EXPECT_EQ(o.strides, (V{2, 1}));
  EXPECT_EQ(o.weights, (V{6, 4, 3, 3}));  // {OC, IC, KH, KW}
  // IOHW [4][6][3][3]: OC steps 9, IC steps 54.
  EXPECT_EQ(o.weights_strides, (V{9, 54, 3, 1}));
  EXPECT_EQ(o.dst, (V{2, 6, p.h_out(), p.w_out()}));
  EXPECT_EQ(o.src_tag, "nchw");
  EXPECT_TRUE(o.notes.empty());
}

TEST(OnednnDescriptors, GroupedWeightsAndNotes) {
  Problem p;
  p.c_in = 4;
  p.c_out = 6;
  p.groups = 2;
  p.kh = p.kw = 2;
  p.weight_layout = Layout::HWOI;  // (kH, kW, C_out/g, C_in) = [2][2][3][4]
  p.crop_bottom = -1;
  const OnednnDeconvolution o = onednn_deconvolution(p);
  EXPECT_EQ(o.weights, (V{2, 3, 2, 2, 2}));  // {G, OC/G, IC/G, KH, KW}
  // HWOI: ic steps 1, oc steps 4, kw steps 12, kh steps 24; a group is 2 input channels.
  EXPECT_EQ(o.weights_strides, (V{2, 4, 1, 24, 12}));
  ASSERT_EQ(o.notes.size(), 1u);
  EXPECT_NE(o.notes[0].find("negative padding"), std::string::npos);
}

}  // namespace
}  // namespace tconv::conventions
