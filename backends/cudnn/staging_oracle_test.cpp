// Proof on the CPU that the staging plan is exact: the oracle on the symmetric staging problem,
// followed by the same window copy the GPU kernel runs (WindowCopy::source_offset), equals the
// oracle on the canonical problem, for every direction that stages, on the conformance
// problems and on random ones (asymmetric, negative and output_padding-like crops included).
#include <gtest/gtest.h>

#include <random>

#include "backends/cudnn/cudnn_plan.h"
#include "backends/cudnn/window_copy.h"
#include "backends/naive/oracle.h"
#include "backends/testing/backend_conformance.h"
#include "backends/testing/random_problem.h"
#include "conformance/fill.h"

namespace tconv::cudnn {
namespace {

WindowCopy geometry(const ConvPlan& pl, bool to_output) {
  WindowCopy g;
  g.n = pl.large.n;
  g.c = pl.large.c;
  g.nhwc = pl.data_layout == Layout::NHWC;
  if (to_output) {
    g.src_h = pl.rows.staging, g.src_w = pl.cols.staging, g.dst_h = pl.rows.output, g.dst_w = pl.cols.output;
    g.row_shift = pl.rows.offset, g.col_shift = pl.cols.offset;
  } else {
    g.src_h = pl.rows.output, g.src_w = pl.cols.output, g.dst_h = pl.rows.staging, g.dst_w = pl.cols.staging;
    g.row_shift = -pl.rows.offset, g.col_shift = -pl.cols.offset;
  }
  return g;
}

// The kernel's loop, on the host: dst[i] = src[source_offset(i)] or the fill.
void copy_window(const WindowCopy& g, const HostTensor& src, HostTensor& dst, const HostTensor* bias) {
  ASSERT_EQ(dst.numel(), g.dst_elements());
  for (std::int64_t i = 0; i < g.dst_elements(); ++i) {
    const std::int64_t from = g.source_offset(i);
    dst.set(i, from >= 0 ? src.get(from) : bias ? bias->get(g.channel_of(i)) : 0.0);
  }
}

HostTensor from_reference(const Reference& r, Layout layout) {
  HostTensor t(DType::f64, layout, r.dims);
  std::size_t e = 0;
  for_each_index(r.dims, [&](const Dims& i) { t.put(i, r.value[e++]); });
  return t;
}

// Runs every staged direction of p through "staging problem + window copy" and compares.
void expect_staging_exact(const Problem& canonical, std::uint64_t seed) {
  Problem p = canonical;
  p.dtype = DType::f64;
  p.weight_layout = Layout::IOHW;
  const Problem s = staging_problem(p);
  const ConvPlan pl = make_plan(p, Direction::fwd);
  ASSERT_EQ(inconsistency(pl), "") << to_repro(p) << ": " << describe(pl);
  ASSERT_FALSE(make_plan(s, Direction::fwd).staged) << to_repro(s);
  ASSERT_EQ(s.h_out(), pl.rows.staging);
  ASSERT_EQ(s.w_out(), pl.cols.staging);
  const InputSet in = make_inputs(p, {FillKind::integer, seed});

  // fwd: oracle into the staging buffer (bias included), crop / extend with bias-only lines.
  const Reference staged_y = compute_reference(s, Direction::fwd, in.operands());
  HostTensor y(DType::f64, p.layout, p.y_dims());
  copy_window(geometry(pl, true), from_reference(staged_y, p.layout), y, p.bias ? &in.b : nullptr);
  EXPECT_EQ(y.logical_values(), to_vector(compute_reference(p, Direction::fwd, in.operands()).value)) << "fwd " << to_repro(p);

  // bwd_data and bwd_weights: dy zero-extended / cropped into the staging buffer.
  HostTensor staged_dy(DType::f64, p.layout, s.y_dims());
  copy_window(geometry(pl, false), in.dy, staged_dy, nullptr);
  Operands ops = in.operands();
  ops.dy = &staged_dy;
  for (Direction d : {Direction::bwd_data, Direction::bwd_weights})
    EXPECT_EQ(compute_reference(s, d, ops).value, compute_reference(p, d, in.operands()).value)
        << to_string(d) << " " << to_repro(p);
}

TEST(StagingOracle, ConformanceProblems) {
  std::uint64_t seed = 1;
  for (const crosscheck::NamedProblem& np : crosscheck::conformance_problems()) {
    SCOPED_TRACE(np.name);
    expect_staging_exact(np.problem, ++seed);
  }
}

TEST(StagingOracle, RandomProblems) {
  std::mt19937_64 rng(7);
  int staged = 0;
  for (int i = 0; i < 300; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    staged += make_plan(p, Direction::fwd).staged;
    expect_staging_exact(p, 100 + i);
    if (HasFailure()) break;
  }
  EXPECT_GT(staged, 50) << "the random problems should exercise the staging path";
}

TEST(WindowCopy, NhwcAndNchwAgreeOnLogicalIndices) {
  WindowCopy g;
  g.n = 2, g.c = 3, g.src_h = 4, g.src_w = 5, g.dst_h = 6, g.dst_w = 3, g.row_shift = -1, g.col_shift = 2;
  WindowCopy h = g;
  h.nhwc = true;
  const Dims src_dims{2, 3, 4, 5}, dst_dims{2, 3, 6, 3};
  for_each_index(dst_dims, [&](const Dims& i) {
    const std::int64_t a = g.source_offset(element_offset(Layout::NCHW, dst_dims, 1, i));
    const std::int64_t b = h.source_offset(element_offset(Layout::NHWC, dst_dims, 1, i));
    const std::int64_t sh = i[2] + g.row_shift, sw = i[3] + g.col_shift;
    const bool inside = sh >= 0 && sh < 4 && sw >= 0 && sw < 5;
    ASSERT_EQ(a >= 0, inside);
    ASSERT_EQ(b >= 0, inside);
    if (inside) {
      EXPECT_EQ(a, element_offset(Layout::NCHW, src_dims, 1, {i[0], i[1], sh, sw}));
      EXPECT_EQ(b, element_offset(Layout::NHWC, src_dims, 1, {i[0], i[1], sh, sw}));
    }
    EXPECT_EQ(g.channel_of(element_offset(Layout::NCHW, dst_dims, 1, i)), i[1]);
    EXPECT_EQ(h.channel_of(element_offset(Layout::NHWC, dst_dims, 1, i)), i[1]);
  });
}

}  // namespace
}  // namespace tconv::cudnn
