// The oracle against an independent formulation (backends/testing/direct_conv_reference.h:
// zero insertion + flipped kernel, and the duality for the gradients) on random problems that
// span every parameter: bit-for-bit on integer inputs, 1e-12 relative on random f64 inputs.
// The naive backend's stored outputs (every layout) are checked on the way.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "backends/naive/naive_backend.h"
#include "backends/naive/oracle.h"
#include "backends/testing/direct_conv_reference.h"
#include "backends/testing/random_problem.h"
#include "conformance/fill.h"

namespace tconv::crosscheck {
namespace {

constexpr int kShards = 6;
constexpr int kProblemsPerShard = 100;  // 600 random problems in all

DirectResult direct(const Problem& p, Direction d, const InputSet& in) {
  switch (d) {
    case Direction::fwd: return direct_forward(p, in.x, in.w, p.bias ? &in.b : nullptr);
    case Direction::bwd_data: return direct_backward_data(p, in.dy, in.w);
    case Direction::bwd_weights: return direct_backward_weights(p, in.x, in.dy);
    case Direction::bwd_bias: return direct_backward_bias(p, in.dy);
  }
  return {};
}

// Inputs of all ones: the direct result then counts the real (not zero-inserted) terms of
// each output element, bias included: an independent check of the oracle's term counts.
InputSet ones(const Problem& p) {
  InputSet in = make_inputs(p, {FillKind::golden, 0});
  in.x.fill(1), in.w.fill(1), in.dy.fill(1);
  if (p.bias) in.b.fill(1);
  return in;
}

HostTensor run_naive(const Problem& p, Direction d, const InputSet& in) {
  HostTensor out = make_output(p, d);
  auto backend = naive_backend_factory().create("default").value_or(nullptr);
  RunContext ctx;
  const Status s = backend->run(p, d, with_output(in.operands(), d, out), ctx);
  EXPECT_TRUE(s.ok()) << s.message;
  return out;
}

// Checks one problem in one direction; returns false after the first failure so that a broken
// oracle reports one clear problem instead of thousands of elements.
bool agrees(const Problem& p, Direction d, std::uint64_t seed) {
  const std::string where = std::string(to_string(d)) + " \"" + to_repro(p) + "\"";
  const InputSet in = make_inputs(p, {p.dtype == DType::f64 ? FillKind::uniform : FillKind::integer, seed});
  const Reference ref = compute_reference(p, d, in.operands());
  const DirectResult want = direct(p, d, in);
  const DirectResult counts = direct(p, d, ones(p));
  const HostTensor out = run_naive(p, d, in);
  EXPECT_EQ(ref.value.size(), want.value.size()) << where;
  if (ref.value.size() != want.value.size()) return false;

  const bool exact = p.dtype != DType::f64;  // integer inputs: every sum is exact
  std::size_t e = 0;
  bool ok = true;
  for_each_index(ref.dims, [&](const Dims& i) {
    if (!ok) return;
    const double tolerance = exact ? 0.0 : 1e-12 * want.abs_sum[e];
    ok = std::fabs(ref.value[e] - want.value[e]) <= tolerance &&
         std::fabs(ref.abs_sum[e] - want.abs_sum[e]) <= tolerance && ref.terms[e] == counts.value[e] &&
         out.at(i) == round_to(ref.value[e], p.dtype);
    EXPECT_TRUE(ok) << where << " at [" << i[0] << "," << i[1] << "," << i[2] << "," << i[3] << "]: oracle "
                    << ref.value[e] << " (|.| sum " << ref.abs_sum[e] << ", " << ref.terms[e] << " terms), direct "
                    << want.value[e] << " (|.| sum " << want.abs_sum[e] << ", " << counts.value[e]
                    << " terms), naive output " << out.at(i);
    ++e;
  });
  return ok;
}

class OracleVsDirect : public ::testing::TestWithParam<int> {};

TEST_P(OracleVsDirect, AgreeOnRandomProblemsInEveryDirection) {
  std::mt19937_64 rng(1000 + GetParam());
  for (int i = 0; i < kProblemsPerShard; ++i) {
    Problem p = random_problem(rng);
    ASSERT_TRUE(validate(p).ok()) << to_repro(p) << ": " << validate(p).message;
    const std::uint64_t seed = rng();
    for (DType t : {DType::f32, DType::f64}) {
      p.dtype = t;
      for (Direction d : kAllDirections)
        if (!agrees(p, d, seed)) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shards, OracleVsDirect, ::testing::Range(0, kShards));

TEST(OracleVsDirect, RandomProblemsSpanEveryParameter) {
  std::mt19937_64 rng(7);
  std::set<std::int64_t> strides, dilations, kernels;
  int negative = 0, asymmetric = 0, depthwise = 0, grouped = 0, bias = 0, nhwc = 0, flipped = 0, non_square = 0;
  for (int i = 0; i < kShards * kProblemsPerShard; ++i) {
    const Problem p = random_problem(rng);
    strides.insert({p.stride_h, p.stride_w});
    dilations.insert({p.dil_h, p.dil_w});
    kernels.insert({p.kh, p.kw});
    negative += p.crop_top < 0 || p.crop_bottom < 0 || p.crop_left < 0 || p.crop_right < 0;
    asymmetric += p.crop_top != p.crop_bottom || p.crop_left != p.crop_right;
    depthwise += p.groups > 1 && p.groups == p.c_in;
    grouped += p.groups > 1 && p.groups < p.c_in;
    bias += p.bias;
    nhwc += p.layout == Layout::NHWC;
    flipped += p.weight_layout == Layout::OIHW_FLIPPED;
    non_square += p.kh != p.kw;
  }
  EXPECT_EQ(strides, (std::set<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(dilations, (std::set<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(kernels, (std::set<std::int64_t>{1, 2, 3, 4, 5}));
  for (int count : {negative, asymmetric, depthwise, grouped, bias, nhwc, flipped, non_square}) EXPECT_GT(count, 30);
}

// The independent formulation itself on a case worked by hand: x = [1 2], w = [1 10 100],
// stride 2, full output 1 10 100 (+) 2 20 200 shifted by 2 = [1 10 102 20 200].
TEST(DirectReference, MatchesAHandWorkedExample) {
  Problem p;
  p.w_in = 2, p.kw = 3, p.stride_w = 2, p.bias = false;
  HostTensor x(DType::f64, Layout::NCHW, p.x_dims()), w(DType::f64, Layout::IOHW, p.w_dims());
  x.put({0, 0, 0, 0}, 1), x.put({0, 0, 0, 1}, 2);
  w.put({0, 0, 0, 0}, 1), w.put({0, 0, 0, 1}, 10), w.put({0, 0, 0, 2}, 100);
  EXPECT_EQ(direct_forward(p, x, w, nullptr).value, (std::vector<double>{1, 10, 102, 20, 200}));
  p.crop_left = 1, p.crop_right = -1;  // crop one at the start, extend one at the end
  EXPECT_EQ(direct_forward(p, x, w, nullptr).value, (std::vector<double>{10, 102, 20, 200, 0}));
  // bwd_data of dy = [0 0 1 0 0] (uncropped) picks w taps landing on position 2: x0*100, x1*1.
  p.crop_left = p.crop_right = 0;
  HostTensor dy(DType::f64, Layout::NCHW, p.y_dims());
  dy.put({0, 0, 0, 2}, 1);
  EXPECT_EQ(direct_backward_data(p, dy, w).value, (std::vector<double>{100, 1}));
  EXPECT_EQ(direct_backward_weights(p, x, dy).value, (std::vector<double>{2, 0, 1}));
}

}  // namespace
}  // namespace tconv::crosscheck
