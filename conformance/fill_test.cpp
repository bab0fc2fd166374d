#include "conformance/fill.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "backends/naive/naive_backend.h"
#include "backends/naive/oracle.h"

namespace tconv {
namespace {

Problem problem(DType t = DType::f32) {
  Problem p;
  p.n = 2, p.c_in = 6, p.c_out = 4, p.groups = 2, p.h_in = 5, p.w_in = 4, p.kh = 3, p.kw = 2;
  p.stride_h = 2, p.dil_w = 2, p.crop_top = 1, p.crop_right = -1;
  p.dtype = t;
  return p;
}

std::vector<double> filled(const Problem& p, Layout layout, Operand which, FillSpec spec) {
  const bool weights = which == Operand::w;
  HostTensor t(p.dtype, layout, weights ? p.w_dims() : p.x_dims(), p.groups);
  fill_operand(t, which, p, spec);
  return t.logical_values();
}

TEST(Fill, ValuesDependOnTheLogicalIndexNotOnTheLayout) {
  const Problem p = problem();
  for (FillKind k : {FillKind::uniform, FillKind::normal, FillKind::integer}) {
    EXPECT_EQ(filled(p, Layout::NCHW, Operand::x, {k, 5}), filled(p, Layout::NHWC, Operand::x, {k, 5}));
    const auto iohw = filled(p, Layout::IOHW, Operand::w, {k, 5});
    for (Layout l : kWeightLayouts) EXPECT_EQ(filled(p, l, Operand::w, {k, 5}), iohw) << to_string(l);
  }
}

TEST(Fill, SeedAndOperandGiveIndependentStreamsAndRepeatExactly) {
  const Problem p = problem();
  const auto a = filled(p, Layout::NCHW, Operand::x, {FillKind::uniform, 5});
  EXPECT_EQ(a, filled(p, Layout::NCHW, Operand::x, {FillKind::uniform, 5}));
  EXPECT_NE(a, filled(p, Layout::NCHW, Operand::x, {FillKind::uniform, 6}));
  EXPECT_NE(a, filled(p, Layout::NCHW, Operand::dy, {FillKind::uniform, 5}));
  EXPECT_EQ(std::set<double>(a.begin(), a.end()).size(), a.size());  // no repeats in 240 draws
}

TEST(Fill, InputsAreGeneratedOncePerOperandWhateverTheCallOrder) {
  const Problem p = problem();
  const InputSet s = make_inputs(p, {FillKind::uniform, 9});
  HostTensor dy(p.dtype, p.layout, p.y_dims());
  fill_operand(dy, Operand::dy, p, {FillKind::uniform, 9});
  EXPECT_EQ(s.dy.logical_values(), dy.logical_values());
}

TEST(Fill, UniformAndNormalHaveTheirMoments) {
  Problem p;
  p.n = 4, p.c_in = 50, p.h_in = 10, p.w_in = 10;  // 20000 values
  for (FillKind k : {FillKind::uniform, FillKind::normal}) {
    const auto v = filled(p, Layout::NCHW, Operand::x, {k, 1});
    double mean = 0, sq = 0, max_abs = 0;
    for (double x : v) mean += x, sq += x * x, max_abs = std::max(max_abs, std::fabs(x));
    mean /= static_cast<double>(v.size());
    const double var = sq / static_cast<double>(v.size()) - mean * mean;
    EXPECT_NEAR(mean, 0.0, 0.03) << to_string(k);
    if (k == FillKind::uniform) {
      EXPECT_NEAR(var, 1.0 / 3.0, 0.02);
      EXPECT_LE(max_abs, 1.0);
    } else {
      EXPECT_NEAR(var, 1.0, 0.05);
      EXPECT_GT(max_abs, 3.0);
    }
  }
}

TEST(Fill, ValuesAreExactlyRepresentableInTheDtype) {
  for (DType t : kAllDTypes) {
    const auto v = filled(problem(t), Layout::NCHW, Operand::x, {FillKind::uniform, 2});
    for (double x : v) ASSERT_EQ(round_to(x, t), x) << to_string(t);
  }
}

// The largest |value| and whether all are nonzero integers.
double integer_magnitude(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) {
    EXPECT_EQ(x, std::trunc(x));
    EXPECT_NE(x, 0);
    m = std::max(m, std::fabs(x));
  }
  return m;
}

TEST(Fill, IntegerRangeShrinksWithTheLongestReduction) {
  Problem small = problem();
  EXPECT_EQ(integer_magnitude(filled(small, Layout::NCHW, Operand::x, {FillKind::integer, 3})), 16);

  Problem big;  // bwd_weights sums n*h_in*w_in = 4*128*128 = 2^16 terms
  big.n = 4, big.h_in = 128, big.w_in = 128;
  const double m = integer_magnitude(filled(big, Layout::NCHW, Operand::x, {FillKind::integer, 3}));
  EXPECT_LE(m * m * 65536, 0x1p24);
  EXPECT_GE(m, 8);

  big.dtype = DType::f16;  // sums kept below 2^15, clear of f16's overflow
  const double m16 = integer_magnitude(filled(big, Layout::NCHW, Operand::x, {FillKind::integer, 3}));
  EXPECT_LE(m16 * m16 * 65536, 0x1p24);
  EXPECT_EQ(m16, 1);
}

// Runs the naive backend in f32 on integer inputs: every output must equal the exact (f64)
// sum, in every direction.
TEST(Fill, IntegerFillMakesF32ResultsExactEvenForLongReductions) {
  Problem p;
  p.n = 2, p.c_in = 48, p.c_out = 6, p.h_in = 24, p.w_in = 32, p.kh = 3, p.kw = 3, p.stride_h = 2, p.stride_w = 2;
  p.crop_top = p.crop_bottom = p.crop_left = p.crop_right = 1;  // fwd K = 433, bwd_weights K = 1536
  auto backend = naive_backend_factory().create("default").value_or(nullptr);
  const InputSet in = make_inputs(p, {FillKind::integer, 1});
  for (Direction d : kAllDirections) {
    HostTensor out = make_output(p, d);
    RunContext ctx;
    ASSERT_TRUE(backend->run(p, d, with_output(in.operands(), d, out), ctx).ok());
    const Reference ref = compute_reference(p, d, in.operands());
    std::size_t e = 0, large = 0;
    for_each_index(ref.dims, [&](const Dims& i) {
      ASSERT_EQ(out.at(i), ref.value[e]) << to_string(d);
      ASSERT_LE(ref.abs_sum[e], 0x1p24);
      large += std::fabs(ref.value[e]) > 0x1p11;  // beyond f16's exact integers: a real test
      ++e;
    });
    if (d != Direction::bwd_bias) {
      EXPECT_GT(large, 0u) << to_string(d);
    }
  }
}

// The exact fill: every result and every pre-bias sum of the naive backend is an integer
// exactly representable in the f16/bf16 output itself (the oracle's value, stored unrounded),
// also where the reduction is too long for M = 1 and x / dy are thinned with zeros.
TEST(Fill, ExactFillMakesF16AndBf16ResultsExactInTheOutputType) {
  Problem p;
  p.n = 2, p.c_in = 8, p.c_out = 6, p.h_in = 12, p.w_in = 16, p.kh = 3, p.kw = 3, p.stride_h = 2, p.stride_w = 2;
  p.crop_top = p.crop_bottom = p.crop_left = p.crop_right = 1;  // bwd_weights K = 384, bwd_bias K = 1380 > 2^8
  p.bias = true;
  auto backend = naive_backend_factory().create("default").value_or(nullptr);
  for (DType t : {DType::f16, DType::bf16}) {
    p.dtype = t;
    const InputSet in = make_inputs(p, {FillKind::exact, 1});
    std::size_t zeros = 0;
    for_each_index(in.dy.dims(), [&](const Dims& i) { zeros += in.dy.at(i) == 0; });
    if (t == DType::bf16) {
      EXPECT_GT(zeros, 0u) << "dy thinned for the long bwd_bias reduction";
    }
    for (Direction d : kAllDirections) {
      HostTensor out = make_output(p, d);
      RunContext ctx;
      ASSERT_TRUE(backend->run(p, d, with_output(in.operands(), d, out), ctx).ok());
      const Reference ref = compute_reference(p, d, in.operands());
      std::size_t e = 0;
      for_each_index(ref.dims, [&](const Dims& i) {
        ASSERT_EQ(out.at(i), ref.value[e]) << to_string(t) << " " << to_string(d);
        if (!ref.pre_bias.empty()) {
          ASSERT_EQ(round_to(ref.pre_bias[e], t), ref.pre_bias[e]);
        }
        ++e;
      });
    }
  }
}

TEST(Fill, GoldenFillsZeros) {
  const auto v = filled(problem(), Layout::NCHW, Operand::x, {FillKind::golden, 3});
  for (double x : v) EXPECT_EQ(x, 0);
}

TEST(Fill, MakeInputsAllocatesEveryInputInTheProblemsLayouts) {
  Problem p = problem(DType::bf16);
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::OIHW_FLIPPED;
  const InputSet s = make_inputs(p, {FillKind::normal, 4});
  EXPECT_EQ(s.x.layout(), Layout::NHWC);
  EXPECT_EQ(s.x.dims(), p.x_dims());
  EXPECT_EQ(s.w.layout(), Layout::OIHW_FLIPPED);
  EXPECT_EQ(s.w.groups(), p.groups);
  EXPECT_EQ(s.b.dims(), p.b_dims());
  EXPECT_EQ(s.dy.dims(), p.y_dims());
  EXPECT_EQ(s.dy.dtype(), DType::bf16);
  const Operands o = s.operands();
  EXPECT_EQ(o.x, &s.x);
  EXPECT_EQ(o.b, &s.b);
  EXPECT_EQ(o.y, nullptr);
  for (Direction d : kAllDirections) {
    HostTensor out = make_output(p, d);
    EXPECT_TRUE(check_operands(p, d, with_output(o, d, out)).ok()) << to_string(d);
  }
  p.bias = false;
  EXPECT_EQ(make_inputs(p, {FillKind::normal, 4}).operands().b, nullptr);
}

TEST(Fill, OutputsArePoisonedWithNaN) {
  const Problem p = problem(DType::f16);
  for (Direction d : kAllDirections) {
    const HostTensor out = make_output(p, d);
    for (double v : out.logical_values()) ASSERT_TRUE(std::isnan(v)) << to_string(d);
  }
  HostTensor y = make_output(p, Direction::fwd);
  EXPECT_EQ(with_output({}, Direction::fwd, y).y, &y);
  EXPECT_EQ(with_output({}, Direction::bwd_weights, y).dw, &y);
}

TEST(Fill, FillKindNamesRoundTrip) {
  for (FillKind k : {FillKind::uniform, FillKind::normal, FillKind::integer, FillKind::golden, FillKind::exact})
    EXPECT_EQ(parse_fill_kind(to_string(k)), k);
  EXPECT_FALSE(parse_fill_kind("gaussian").has_value());
}

}  // namespace
}  // namespace tconv
