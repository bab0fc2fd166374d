// --reference fast: the fast f64 loops, rechecked per run by the per-element definition on
// every element of a small problem and on a sample of a large one; the label says which.
#include <gtest/gtest.h>

#include "conformance/fill.h"
#include "conformance/reference_check.h"

namespace tconv {
namespace {

Problem square(std::int64_t channels, std::int64_t in, std::int64_t k, std::int64_t s) {
  Problem p;
  p.c_in = p.c_out = channels, p.h_in = p.w_in = in, p.kh = p.kw = k, p.stride_h = p.stride_w = s;
  p.pad_top = p.pad_left = 1;
  return p;
}

TEST(FastReference, SmallProblemIsRecheckedWholeAndEqualsTheOracle) {
  const Problem p = square(4, 9, 3, 2);
  const InputSet in = make_inputs(p, {FillKind::normal, 2});
  for (Direction d : kAllDirections) {
    const Reference fast = checked_reference(p, d, in.operands(), CheckMode{0, true}, 2);
    const Reference oracle = compute_reference(p, d, in.operands());
    EXPECT_EQ(fast.value, oracle.value) << to_string(d);
    EXPECT_FALSE(fast.is_sampled());
    EXPECT_EQ(reference_label(fast), "fast f64, definition agrees on all " + std::to_string(fast.value.size()));
  }
  EXPECT_EQ(reference_label(compute_reference(p, Direction::fwd, in.operands())), "oracle");
}

TEST(FastReference, LargeProblemIsRecheckedOnASample) {
  const Problem p = square(48, 48, 4, 2);  // 85M multiply-adds: above kFastCheckedWhole
  ASSERT_GT(flops(p, Direction::fwd) / 2, kFastCheckedWhole);
  const InputSet in = make_inputs(p, {FillKind::uniform, 3});
  const Reference fast = checked_reference(p, Direction::fwd, in.operands(), CheckMode{0, true}, 3);
  EXPECT_EQ(static_cast<std::int64_t>(fast.value.size()), numel_y(p));
  const std::string label = reference_label(fast);
  EXPECT_EQ(label.rfind("fast f64, definition agrees on sample ", 0), 0u) << label;
  EXPECT_NE(label.find("/" + std::to_string(numel_y(p))), std::string::npos) << label;
}

}  // namespace
}  // namespace tconv
