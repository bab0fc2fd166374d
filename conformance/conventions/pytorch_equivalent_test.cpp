#include "conformance/conventions/pytorch_equivalent.h"

#include <gtest/gtest.h>

#include "conformance/conventions/test_params.h"

namespace tconv::conventions {
namespace {

using testing::translate_text;

TEST(PytorchEquivalent, ExactWhenTheEndCropsNoMoreThanTheBegin) {
  Problem p;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  p.crop_top = 2;
  p.crop_bottom = 1;  // output_padding 1
  p.crop_left = p.crop_right = 0;
  const Equivalent e = pytorch_equivalent(p);
  ASSERT_TRUE(e.exact) << e.reason;
  EXPECT_NE(e.params.find("padding=2,0 output_padding=1,0"), std::string::npos) << e.params;
  EXPECT_NE(e.call.find("padding=(2, 0), output_padding=(1, 0)"), std::string::npos) << e.call;
}

TEST(PytorchEquivalent, OutputPaddingBelowDilationIsEnough) {
  Problem p;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;
  p.dil_h = 3;
  p.crop_top = 2;
  p.crop_bottom = 0;  // op 2 < dilation 3, stride 1
  EXPECT_TRUE(pytorch_equivalent(p).exact);
  p.dil_h = 2;
  const Equivalent e = pytorch_equivalent(p);
  EXPECT_FALSE(e.exact);
  EXPECT_NE(e.reason.find("output_padding < stride or < dilation"), std::string::npos) << e.reason;
  EXPECT_NE(e.construction.find("padding=(0, 0)"), std::string::npos) << e.construction;
  EXPECT_NE(e.construction.find("remove 2 rows at the top"), std::string::npos) << e.construction;
}

TEST(PytorchEquivalent, NegativeBeginNeedsAFixup) {
  Problem p;
  p.h_in = p.w_in = 4;
  p.kh = p.kw = 3;
  p.crop_top = -1;
  const Equivalent e = pytorch_equivalent(p);
  EXPECT_FALSE(e.exact);
  EXPECT_NE(e.reason.find("negative height crop"), std::string::npos) << e.reason;
  EXPECT_NE(e.construction.find("add 1 row holding only the bias at the top"), std::string::npos) << e.construction;
}

TEST(PytorchEquivalent, RoundTripThroughThePytorchConvention) {
  // The params of an exact equivalent translate back to the very same problem.
  Problem p;
  p.n = 2;
  p.c_in = 4;
  p.c_out = 6;
  p.groups = 2;
  p.h_in = 5;
  p.w_in = 7;
  p.kh = 3;
  p.kw = 2;
  p.stride_h = 2;
  p.stride_w = 3;
  p.dil_w = 2;
  p.crop_top = 1;
  p.crop_bottom = 0;
  p.crop_left = 2;
  p.crop_right = 0;
  p.bias = false;
  const Equivalent e = pytorch_equivalent(p);
  ASSERT_TRUE(e.exact) << e.reason;
  EXPECT_EQ(translate_text(pytorch_convention(), e.params).problem, p) << e.params;
}

}  // namespace
}  // namespace tconv::conventions
