#include "conformance/suite/did_you_mean.h"

#include <gtest/gtest.h>

namespace tconv::suite {
namespace {

TEST(DidYouMean, EditDistance) {
  EXPECT_EQ(edit_distance("stride", "stride"), 0u);
  EXPECT_EQ(edit_distance("strid", "stride"), 1u);
  EXPECT_EQ(edit_distance("strdie", "stride"), 1u);  // a transposition is one edit
  EXPECT_EQ(edit_distance("NHWC", "nhwc"), 0u);      // case is ignored
  EXPECT_EQ(edit_distance("output-padding", "output_padding"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> keys = {"stride", "padding", "output_padding", "dilation", "groups"};
  EXPECT_EQ(did_you_mean("strides", keys), " (did you mean 'stride'?)");
  EXPECT_EQ(did_you_mean("dilaton", keys), " (did you mean 'dilation'?)");
  EXPECT_EQ(did_you_mean("outputpadding", keys), " (did you mean 'output_padding'?)");
  EXPECT_EQ(did_you_mean("banana", keys), "");
  EXPECT_EQ(did_you_mean("x", keys), "");
  EXPECT_EQ(closest_match("fp16", {"f32", "f64", "f16", "bf16"}), "f16");
}

}  // namespace
}  // namespace tconv::suite
