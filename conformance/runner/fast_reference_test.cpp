// --reference fast: cuda:gather in f64 on a GPU, openmp:f64acc (or the oracle's fast loops)
// on the CPU, rechecked per run by the per-element definition on every element of a small
// problem and on a sample of a large one; the label says which.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "backends/api/registry.h"
#include "conformance/device_reference.h"
#include "conformance/f64acc_reference.h"
#include "conformance/fill.h"
#include "conformance/reference_check.h"
#include "conformance/sums_reference.h"

namespace tconv {
namespace {

Problem square(std::int64_t channels, std::int64_t in, std::int64_t k, std::int64_t s) {
  Problem p;
  p.c_in = p.c_out = channels, p.h_in = p.w_in = in, p.kh = p.kw = k, p.stride_h = p.stride_w = s;
  p.crop_top = p.crop_left = 1;
  return p;
}

// Groups with dilation and asymmetric, negative crops and a bias; f16 in NHWC with HWOI
// weights and stride 3: the shape classes the engines are checked on.
std::vector<Problem> shape_classes() {
  Problem grouped = square(8, 7, 3, 2);
  grouped.groups = 4, grouped.dil_h = 2, grouped.crop_left = 0, grouped.crop_bottom = -1, grouped.bias = true;
  Problem half = square(6, 5, 4, 3);
  half.dtype = DType::f16, half.layout = Layout::NHWC, half.weight_layout = Layout::HWOI, half.c_out = 3;
  return {grouped, half};
}

// Which implementation serves --reference fast in this build, as the label names it.
std::string fast_name(const Problem& p) {
  const InputSet in = make_inputs(p, {FillKind::normal, 1});
  if (device_reference(p, Direction::fwd, in.operands())) return "cuda:gather f64";
  return f64acc_reference(p, Direction::fwd, in.operands()) ? "openmp:f64acc" : "fast f64";
}

// The oracle to 1e-12 of each element's S, with its S and K (bias included) and pre-bias sum.
void expect_agrees_with_oracle(const Reference& fast, const Reference& oracle, const std::string& what) {
  ASSERT_EQ(fast.dims, oracle.dims) << what;
  ASSERT_EQ(fast.value.size(), oracle.value.size()) << what;
  EXPECT_EQ(fast.terms, oracle.terms) << what;
  ASSERT_EQ(fast.pre_bias.size(), oracle.pre_bias.size()) << what;
  for (std::size_t i = 0; i < fast.value.size(); ++i) {
    const double scale = 1e-12 * oracle.abs_sum[i];
    ASSERT_LE(std::fabs(fast.value[i] - oracle.value[i]), scale) << what << " element " << i;
    ASSERT_LE(std::fabs(fast.abs_sum[i] - oracle.abs_sum[i]), scale) << what << " element " << i;
    if (!fast.pre_bias.empty()) {
      ASSERT_LE(std::fabs(fast.pre_bias[i] - oracle.pre_bias[i]), scale) << what << " element " << i;
    }
  }
}

TEST(FastReference, SmallProblemIsRecheckedWholeAndAgreesWithTheOracle) {
  Problem p = square(4, 9, 3, 2);
  p.bias = true;
  const InputSet in = make_inputs(p, {FillKind::normal, 2});
  for (Direction d : kAllDirections) {
    const Reference fast = checked_reference(p, d, in.operands(), CheckMode{0, true}, 2);
    expect_agrees_with_oracle(fast, compute_reference(p, d, in.operands()), std::string(to_string(d)));
    EXPECT_FALSE(fast.is_sampled());
    EXPECT_EQ(reference_label(fast), fast_name(p) + ", definition agrees on all " + std::to_string(fast.value.size()));
  }
  EXPECT_EQ(reference_label(compute_reference(p, Direction::fwd, in.operands())), "oracle");
}

// Groups, dilation, asymmetric and negative crops, f16, NHWC and HWOI: the f64acc reference keeps
// the oracle's S and K on every shape class.
TEST(FastReference, F64accAgreesWithTheOracleOnEveryShapeClass) {
  for (const Problem& p : shape_classes()) {
    const InputSet in = make_inputs(p, {FillKind::uniform, 5});
    for (Direction d : kAllDirections) {
      const std::optional<Reference> fast = f64acc_reference(p, d, in.operands());
      if (!fast) GTEST_SKIP() << "built without the openmp backend: --reference fast uses the oracle's loops";
      expect_agrees_with_oracle(*fast, compute_reference(p, d, in.operands()), to_repro(p) + " " + std::string(to_string(d)));
    }
  }
}

// The shape classes, every direction: what device_reference.cpp does with cuda:gather
// (widen to f64, run without the bias, S over magnitudes, K over ones), done here with
// openmp:f64acc as the backend, gives bitwise f64acc_reference's Reference, so the device
// path's own logic is tested without a GPU.
TEST(FastReference, ABackendRunInF64IsTheSameEngineAsF64acc) {
  Result<std::unique_ptr<Backend>> created = builtin_registry().create("openmp:f64acc");
  if (!created.ok()) GTEST_SKIP() << "built without the openmp backend: " << created.error();
  Backend& f64acc = *created.value();
  for (const Problem& p : shape_classes()) {
    const InputSet in = make_inputs(p, {FillKind::normal, 7});
    for (Direction d : kAllDirections) {
      const std::string what = to_repro(p) + " " + std::string(to_string(d));
      Status failure = Status::Ok();
      const std::optional<Reference> widened =
          sums_reference(widened_backend_sums(f64acc, &failure), p, d, in.operands(), "widened");
      ASSERT_TRUE(widened) << what << ": " << failure.message;
      const std::optional<Reference> direct = f64acc_reference(p, d, in.operands());
      ASSERT_TRUE(direct) << what;
      EXPECT_EQ(widened->value, direct->value) << what;
      EXPECT_EQ(widened->abs_sum, direct->abs_sum) << what;
      EXPECT_EQ(widened->terms, direct->terms) << what;
      EXPECT_EQ(widened->pre_bias, direct->pre_bias) << what;
      EXPECT_EQ(widened->origin, "widened");
    }
  }
}

// On a GPU machine: cuda:gather in f64 is --reference fast's engine and agrees with the
// oracle (value and S to 1e-12 x S, K and pre-bias) on every shape class.
TEST(FastReference, OnAGpuTheGatherKernelInF64AgreesWithTheOracle) {
  {
    const Problem grouped = shape_classes().front();
    const InputSet in = make_inputs(grouped, {FillKind::uniform, 5});
    if (!device_reference(grouped, Direction::fwd, in.operands()))
      GTEST_SKIP() << "no GPU answered (or a build without the cuda backend): --reference fast computes on the CPU";
  }
  for (const Problem& p : shape_classes()) {
    const InputSet in = make_inputs(p, {FillKind::uniform, 5});
    for (Direction d : kAllDirections) {
      const std::optional<Reference> fast = device_reference(p, d, in.operands());
      ASSERT_TRUE(fast) << to_repro(p) << " " << to_string(d);
      EXPECT_EQ(fast->origin, "cuda:gather f64");
      expect_agrees_with_oracle(*fast, compute_reference(p, d, in.operands()), to_repro(p) + " " + std::string(to_string(d)));
    }
  }
}

TEST(FastReference, LargeProblemIsRecheckedOnASample) {
  const Problem p = square(48, 48, 4, 2);  // 85M multiply-adds: above kFastCheckedWhole
  ASSERT_GT(flops(p, Direction::fwd) / 2, kFastCheckedWhole);
  const InputSet in = make_inputs(p, {FillKind::uniform, 3});
  const Reference fast = checked_reference(p, Direction::fwd, in.operands(), CheckMode{0, true}, 3);
  EXPECT_EQ(static_cast<std::int64_t>(fast.value.size()), numel_y(p));
  const std::string label = reference_label(fast);
  EXPECT_EQ(label.rfind(fast_name(p) + ", definition agrees on sample ", 0), 0u) << label;
  EXPECT_NE(label.find("/" + std::to_string(numel_y(p))), std::string::npos) << label;
}

// The recheck's random part shrinks where each element sums many terms (a weight gradient
// over a whole batch), so that it costs about 1/kFastCheckShare of the problem.
TEST(FastReference, TheRecheckCostsAFixedShareOfTheProblem) {
  const double many = 1e9;
  EXPECT_EQ(fast_check_samples(many, 4'000'000), kFastCheckSamples);  // 250 terms each
  EXPECT_EQ(fast_check_samples(many, 3072), static_cast<std::int64_t>(3072 / kFastCheckShare));
  EXPECT_EQ(fast_check_samples(4 * kFastCheckedWhole, 4), 1);  // at least one element
  // Below the share, kFastCheckedWhole terms are still spent.
  EXPECT_EQ(fast_check_samples(2 * kFastCheckedWhole, 1024), 512);
}

// A bias gradient over a batch: every one of its elements is "structural" (a plane's corner),
// and each sums 65536 terms; the recheck spreads over 16 of the 64, not all of them.
TEST(FastReference, AWholeBatchReductionIsRecheckedOnAThinnedSample) {
  Problem p = square(64, 32, 2, 2);
  p.n = 16, p.crop_top = p.crop_left = 0;
  const InputSet in = make_inputs(p, {FillKind::uniform, 4});
  const Reference fast = checked_reference(p, Direction::bwd_bias, in.operands(), CheckMode{0, true}, 4);
  EXPECT_EQ(reference_label(fast), fast_name(p) + ", definition agrees on sample 16/64");
}

}  // namespace
}  // namespace tconv
