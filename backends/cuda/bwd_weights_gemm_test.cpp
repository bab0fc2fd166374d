// The bwd_weights implicit GEMM: its plan (splits, workspace) and the whole kernel emulated on
// the CPU block by block, phase by phase (bwd_weights_gemm_emulate.h), against the oracle.
#include "backends/cuda/bwd_weights_gemm.h"

#include <set>

#include "backends/cuda/bwd_weights_gemm_emulate.h"
#include "backends/cuda/emulation_test_support.h"

namespace tconv::cuda {
namespace {

constexpr std::size_t kBudget = std::size_t{256} << 20;

HostTensor emulate(const Problem& p, const InputSet& in, std::size_t budget) {
  return run_emulated(p, Direction::bwd_weights, in, [&](const ConvGeometry& g, const DeviceOperands& ops) {
    emulate_bwd_weights_gemm<float, float>(g, plan_bwd_weights_gemm(g, budget), ops);
  });
}

TEST(CudaBwdWeightsGemm, TileSlotsCoverEachTileElementOnce) {
  for (bool nhwc : {false, true})
    for (int width : {kWgradBM, kWgradBN}) {
      std::set<std::pair<int, int>> seen;
      for (int e = 0; e < kWgradBK * width; ++e) {
        int kk = -1, j = -1;
        wgrad_tile_slot(nhwc, e, width, &kk, &j);
        ASSERT_TRUE(kk >= 0 && kk < kWgradBK && j >= 0 && j < width);
        seen.insert({kk, j});
      }
      EXPECT_EQ(seen.size(), static_cast<std::size_t>(kWgradBK * width));
    }
  std::set<std::pair<int, int>> cells;  // the micro-tiles partition the output tile
  for (int t = 0; t < kWgradThreads; ++t)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b) cells.insert({wgrad_micro_row(t, a), wgrad_micro_col(t, b)});
  EXPECT_EQ(cells.size(), static_cast<std::size_t>(kWgradBM * kWgradBN));
}

TEST(CudaBwdWeightsGemm, PlanSplitsCoverKWithoutEmptySplitsAndRespectLimits) {
  std::mt19937_64 rng(5);
  crosscheck::RandomProblemLimits big;
  big.max_n = 8, big.max_spatial = 40, big.max_channels_per_group = 40;
  int split_plans = 0;
  for (int i = 0; i < 2000; ++i) {
    const Problem p = random_problem_of(rng, DType::f32, big);
    const ConvGeometry g = make_geometry(p);
    for (std::size_t budget : {kBudget, std::size_t{4096}}) {
      const WgradPlan pl = plan_bwd_weights_gemm(g, budget);
      ASSERT_TRUE(plan_splits_k(p, pl, kWgradBK)) << to_repro(p);
      ASSERT_LE(pl.splits * p.groups, 65535);
      if (pl.splits > 1) {
        ASSERT_LE(bwd_weights_gemm_workspace_bytes(g, pl), budget);
      }
      ASSERT_EQ(pl.row_tiles * kWgradBM >= pl.m && (pl.row_tiles - 1) * kWgradBM < pl.m, true);
      ASSERT_EQ(pl.col_tiles * kWgradBN >= pl.ncol && (pl.col_tiles - 1) * kWgradBN < pl.ncol, true);
      split_plans += pl.splits > 1;
    }
  }
  EXPECT_GT(split_plans, 500) << "large reductions must be split";
}

// Integer fills: exact. Larger inputs than the default generator so that K spans several
// slices and several splits.
TEST(CudaBwdWeightsGemm, EmulatedKernelEqualsOracleOnRandomProblems) {
  std::mt19937_64 rng(11);
  crosscheck::RandomProblemLimits limits;
  limits.max_spatial = 12;
  int multi_split = 0, with_groups = 0;
  for (int i = 0; i < 400; ++i) {
    const Problem p = random_problem_of(rng, DType::f32, limits);
    const InputSet in = make_inputs(p, {FillKind::integer, static_cast<std::uint64_t>(i)});
    multi_split += plan_bwd_weights_gemm(make_geometry(p), kBudget).splits > 1;
    with_groups += p.groups > 1;
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::bwd_weights, in, emulate(p, in, kBudget)));
  }
  EXPECT_GT(multi_split, 50);
  EXPECT_GT(with_groups, 100);
}

// Tiles larger than one block in both GEMM dimensions, several groups, split-K, NHWC.
TEST(CudaBwdWeightsGemm, SeveralTilesGroupsAndSplits) {
  Problem p;
  p.n = 2, p.c_in = 80, p.c_out = 36, p.groups = 2, p.h_in = 9, p.w_in = 7, p.kh = 3, p.kw = 3;
  p.stride_h = 2, p.stride_w = 1, p.dil_w = 2, p.crop_top = 1, p.crop_bottom = -1, p.crop_left = 2, p.crop_right = 0;
  for (Layout l : {Layout::NCHW, Layout::NHWC}) {
    p.layout = l;
    p.weight_layout = l == Layout::NHWC ? Layout::HWOI : Layout::IOHW;
    const WgradPlan pl = plan_bwd_weights_gemm(make_geometry(p), kBudget);
    ASSERT_GT(pl.row_tiles, 1);
    ASSERT_GT(pl.col_tiles, 1);
    ASSERT_GT(pl.splits, 1);
    const InputSet in = make_inputs(p, {FillKind::integer, 9});
    EXPECT_TRUE(equals_oracle_exactly(p, Direction::bwd_weights, in, emulate(p, in, kBudget)));
  }
}

// A tiny workspace budget forces one split: the same (exact) result.
TEST(CudaBwdWeightsGemm, WorkspaceBudgetChangesSplitsNotResults) {
  Problem p;
  p.n = 4, p.c_in = 3, p.c_out = 2, p.h_in = 12, p.w_in = 10, p.kh = 2, p.kw = 2, p.stride_h = 2, p.stride_w = 2;
  const ConvGeometry g = make_geometry(p);
  ASSERT_GT(plan_bwd_weights_gemm(g, kBudget).splits, 1);
  ASSERT_EQ(plan_bwd_weights_gemm(g, 1).splits, 1);
  const InputSet in = make_inputs(p, {FillKind::integer, 4});
  const std::vector<double> a = emulate(p, in, kBudget).logical_values(), b = emulate(p, in, 1).logical_values();
  EXPECT_EQ(a, b);
  EXPECT_TRUE(equals_oracle_exactly(p, Direction::bwd_weights, in, emulate(p, in, 1)));
}

TEST(CudaBwdWeightsGemm, RefusesWhatItDoesNotRun) {
  Problem p;
  const ConvGeometry g = make_geometry(p);
  EXPECT_EQ(bwd_weights_gemm_refuses(Direction::bwd_weights, g, DType::f32), Status::Ok());
  EXPECT_EQ(bwd_weights_gemm_refuses(Direction::bwd_weights, g, DType::bf16), Status::Ok());
  EXPECT_EQ(bwd_weights_gemm_refuses(Direction::fwd, g, DType::f32), Status::Unsupported("bwd_weights_gemm: runs bwd_weights only"));
  EXPECT_NE(bwd_weights_gemm_refuses(Direction::bwd_weights, g, DType::f64).message.find("f64 runs on the gather kernels"),
            std::string::npos);
}

}  // namespace
}  // namespace tconv::cuda
