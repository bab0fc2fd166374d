// wgrad_simt128 (wgrad_simt128.cu) on the CPU: its split-K plan, both kernels emulated
// (simt128_emulate.h) against the oracle with integer fills (exact) for planned and forced
// many-split plans, and the reduction order: with random real values the result equals, bit
// for bit, the documented order (per split: fmaf over k ascending; then splits summed in order).
#include "backends/cuda/wgrad_simt128.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "backends/cuda/emulation_test_support.h"
#include "backends/cuda/simt128_emulate.h"

namespace tconv::cuda {
namespace {

constexpr std::size_t kBudget = std::size_t{256} << 20;

HostTensor emulate(const Problem& p, const InputSet& in, const WgradPlan* forced, simt128::EmuAligned al = {}) {
  return run_emulated(p, Direction::bwd_weights, in, [&](const ConvGeometry& g, const DeviceOperands& ops) {
    const WgradPlan pl = forced ? *forced : plan_wgrad_simt128(g, kBudget);
    simt128::emulate_wgrad_simt128(g, pl, static_cast<const float*>(ops.x), static_cast<const float*>(ops.dy),
                                   static_cast<float*>(ops.dw), al);
  });
}

// A plan with k_per_split = steps * 8 (as many splits as that gives).
WgradPlan forced_plan(const ConvGeometry& g, std::int64_t steps) {
  WgradPlan pl = plan_wgrad_simt128(g, kBudget);
  pl.k_per_split = steps * simt128::Cfg::BK;
  pl.splits = (pl.k + pl.k_per_split - 1) / pl.k_per_split;
  return pl;
}

TEST(WgradSimt128, PlanCoversKWithoutEmptySplitsAndRespectsLimits) {
  std::mt19937_64 rng(41);
  crosscheck::RandomProblemLimits big;
  big.max_n = 16, big.max_spatial = 64, big.max_channels_per_group = 300;
  int split_plans = 0;
  for (int i = 0; i < 2000; ++i) {
    const Problem p = random_problem_of(rng, DType::f32, big);
    const ConvGeometry g = make_geometry(p);
    for (std::size_t budget : {kBudget, std::size_t{4096}}) {
      const WgradPlan pl = plan_wgrad_simt128(g, budget);
      ASSERT_TRUE(plan_splits_k(p, pl, simt128::Cfg::BK)) << to_repro(p);
      ASSERT_LE(pl.splits, 65535);
      if (pl.splits > 1) {
        ASSERT_LE(wgrad_simt128_workspace_bytes(g, pl), budget);
        ASSERT_GE(pl.k_per_split, kSimt128WgradMinSteps * simt128::Cfg::BK);
      } else {
        ASSERT_EQ(wgrad_simt128_workspace_bytes(g, pl), 0u);
      }
      const WgradPlan again = plan_wgrad_simt128(g, budget);  // a function of the problem and the budget only
      ASSERT_EQ(again.splits, pl.splits);
      ASSERT_EQ(again.k_per_split, pl.k_per_split);
      split_plans += pl.splits > 1;
    }
  }
  EXPECT_GT(split_plans, 300) << "large reductions must be split";
}

TEST(WgradSimt128, EmulatedKernelsEqualOracleOnRandomProblems) {
  std::mt19937_64 rng(42);
  crosscheck::RandomProblemLimits limits;
  limits.max_spatial = 12;
  int multi_split = 0;
  for (int i = 0; i < 300; ++i) {
    const Problem p = random_problem_of(rng, DType::f32, limits);
    const InputSet in = make_inputs(p, {FillKind::integer, static_cast<std::uint64_t>(i)});
    const ConvGeometry g = make_geometry(p);
    const WgradPlan forced = forced_plan(g, 1 + i % 3);  // 8, 16 or 24 k per split
    multi_split += forced.splits > 1;
    const simt128::EmuAligned al = i % 4 == 3 ? simt128::EmuAligned{false, false, false} : simt128::EmuAligned{};
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::bwd_weights, in, emulate(p, in, nullptr, al)));
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::bwd_weights, in, emulate(p, in, &forced, al)));
  }
  EXPECT_GT(multi_split, 200);
}

// Several 128 x 128 tiles of dw per group, NCHW and NHWC, and the planned split count.
TEST(WgradSimt128, MultiTileProblemsEqualOracle) {
  const char* shapes[] = {
      "n=2 ci=140 co=40 g=1 in=9x7 k=2x2 s=2x2 d=1x1 crop=0,0,0,0",
      "n=1 ci=20 co=70 g=2 in=6x6 k=3x3 s=2x2 d=1x1 crop=1,0,1,0 layout=NHWC wl=IHWO",
      "n=4 ci=8 co=8 g=8 in=16x16 k=3x3 s=2x2 d=2x2 crop=-1,1,0,-2",
  };
  for (const char* s : shapes) {
    const Result<Problem> p = parse_problem(s);
    ASSERT_TRUE(p.ok()) << s;
    const InputSet in = make_inputs(*p, {FillKind::integer, 5});
    EXPECT_TRUE(equals_oracle_exactly(*p, Direction::bwd_weights, in, emulate(*p, in, nullptr)));
    const WgradPlan forced = forced_plan(make_geometry(*p), 2);
    EXPECT_TRUE(equals_oracle_exactly(*p, Direction::bwd_weights, in, emulate(*p, in, &forced)));
  }
}

// The documented summation order, restated directly: dw[ci][n] = sum over splits in order of
// (fmaf over k ascending within the split, from +0), for real-valued random data. Any other
// order (atomics, a different split or k order) differs in the last bits for such data.
TEST(WgradSimt128, ResultIsTheFixedOrderSumBitForBit) {
  std::mt19937_64 rng(43);
  crosscheck::RandomProblemLimits limits;
  limits.max_spatial = 10;
  for (int i = 0; i < 60; ++i) {
    Problem p = random_problem_of(rng, DType::f32, limits);
    p.weight_layout = p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
    const InputSet in = make_inputs(p, {FillKind::uniform, static_cast<std::uint64_t>(100 + i)});
    const ConvGeometry g = make_geometry(p);
    const WgradPlan pl = forced_plan(g, 1 + i % 2);
    const HostTensor got = emulate(p, in, &pl);
    const simt128::WgradSpec sp{g, pl.splits, pl.k_per_split};
    const float* x = static_cast<const float*>(in.x.data());
    const float* dy = static_cast<const float*>(in.dy.data());
    const float* dw = static_cast<const float*>(got.data());
    for (std::int64_t gi = 0; gi < g.groups; ++gi)
      for (std::int64_t ci = 0; ci < g.cig(); ++ci)
        for (std::int64_t n = 0; n < pl.ncol; ++n) {
          float total = 0.f;
          for (std::int64_t z = 0; z < pl.splits; ++z) {
            const simt128::Seg s = sp.seg(z);
            float part = 0.f;
            for (std::int64_t k = s.k_begin; k < s.k_end; ++k) {
              const std::int64_t b = mma::a_offset(sp.b_row(s, gi, n), sp.b_col(s, gi, k), sp.b_lim_h(), sp.b_lim_w());
              const std::int64_t a = sp.a_row(s, gi, ci).off + sp.a_col(s, gi, k).off;
              part = std::fmaf(x[a], b >= 0 ? dy[b] : 0.f, part);
            }
            total = z == 0 ? part : total + part;
          }
          const std::int64_t flat = (gi * g.cig() + ci) * pl.ncol + n;
          ASSERT_EQ(dw[flat], total) << to_repro(p) << " flat " << flat;
        }
  }
}

TEST(WgradSimt128, RefusesWhatItDoesNotRun) {
  const ConvGeometry g = make_geometry(*parse_problem("n=1 ci=4 co=6 in=5x5 k=3x3 s=2x2"));
  EXPECT_EQ(wgrad_simt128_refuses(Direction::bwd_weights, g, DType::f32), Status::Ok());
  EXPECT_EQ(wgrad_simt128_refuses(Direction::fwd, g, DType::f32), Status::Unsupported("wgrad_simt128: runs bwd_weights only"));
  EXPECT_EQ(wgrad_simt128_refuses(Direction::bwd_weights, g, DType::bf16),
            Status::Unsupported("wgrad_simt128: dtype bf16 not supported (f32 only)"));
  // The quad copies' offsets are 32-bit: x or dy of 2^31 elements or more is refused.
  EXPECT_EQ(wgrad_simt128_refuses(Direction::bwd_weights,
                                  make_geometry(*parse_problem("n=1 ci=1024 co=8 in=1448x1448 k=1x1 s=1x1")), DType::f32),
            Status::Ok());
  for (const char* big : {"n=1 ci=1024 co=8 in=1448x1449 k=1x1 s=1x1", "n=1 ci=8 co=1024 in=1448x1449 k=1x1 s=1x1"})
    EXPECT_EQ(wgrad_simt128_refuses(Direction::bwd_weights, make_geometry(*parse_problem(big)), DType::f32),
              Status::Unsupported("wgrad_simt128: x or dy has 2^31 elements or more (32-bit element offsets)"))
        << big;
}

}  // namespace
}  // namespace tconv::cuda
