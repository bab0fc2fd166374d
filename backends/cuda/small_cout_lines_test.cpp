// small_cout v2 ("lines", small_cout_lines.h) on the CPU: whole launches emulated block by
// block under random grids (so threads walk many pixels and carry through every digit) equal to
// the oracle, to v1 and to gather bit for bit, with aligned vector accesses.
#include <cuda_fp16.h>
#include <gtest/gtest.h>

#include <vector>

#include "backends/cuda/memory_bound_emulate.h"
#include "backends/cuda/memory_bound_test_support.h"

namespace tconv::cuda {
namespace {

HostTensor run_lines(const Problem& p, const InputSet& in, Grid grid) {
  return run_emulated(p, Direction::fwd, in, [&](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_small_cout_lines<__half, float>(g, ops, grid.max_blocks, grid.threads);
    else
      emulate_small_cout_lines<float, float>(g, ops, grid.max_blocks, grid.threads);
  });
}

HostTensor run_v1(const Problem& p, const InputSet& in) {
  return run_emulated(p, Direction::fwd, in, [&](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_small_cout_v1<__half, float>(g, ops);
    else
      emulate_small_cout_v1<float, float>(g, ops);
  });
}

// NHWC with C_in/g a multiple of 4: the vector loads (random problems rarely have it).
Problem random_vector_problem(std::mt19937_64& rng) {
  for (;;) {
    const std::int64_t groups = 1 + rng() % 2, ci = groups * 4 * (1 + rng() % 3), co = groups * (1 + rng() % (4 / groups));
    const Problem p = shape(1 + rng() % 2, ci, co, groups, 2 + rng() % 5, 2 + rng() % 5, 1 + rng() % 5, 1 + rng() % 3,
                            1 + rng() % 2, static_cast<std::int64_t>(rng() % 4) - 1, rng() % 3, Layout::NHWC);
    if (validate(p).ok()) return p;
  }
}

// The edge shapes, then random problems with C_out <= 4, every fourth with vector loads.
std::vector<Problem> small_cout_problems(std::mt19937_64& rng, std::size_t count) {
  std::vector<Problem> problems = small_cout_edge_shapes();
  while (problems.size() < count) {
    const Problem p = problems.size() % 4 == 0 ? random_vector_problem(rng) : random_problem_of(rng, DType::f32);
    if (p.c_out <= kSmallCoutMax) problems.push_back(p);
  }
  return problems;
}

TEST(SmallCoutLines, EveryBlockIsExactOnRandomAndEdgeProblems) {
  std::mt19937_64 rng(2026120522);
  const std::vector<Problem> problems = small_cout_problems(rng, 900);
  int walked = 0, vectors = 0;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    const InputSet in = make_inputs(p, {FillKind::integer, i});
    const Grid grid = random_grid(rng);
    vector_stats() = {};
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::fwd, in, run_lines(p, in, grid)))
        << grid.max_blocks << " blocks of " << grid.threads;
    EXPECT_EQ(vector_stats().misaligned, 0) << to_repro(p);
    const SmallCoutPlan plan = plan_small_cout_lines(make_geometry(p), grid.max_blocks, grid.threads);
    walked += plan.pixels > plan.pixel_step;
    vectors += plan.vectors;
  }
  EXPECT_GT(walked, 300) << "many launches must make threads walk several pixels";
  EXPECT_GT(vectors, 150) << "the vector loads must be among those checked";
}

TEST(SmallCoutLines, VectorLoadsAndStoresRunWhereAlignmentAllows) {
  const Problem p = shape(1, 8, 4, 1, 3, 7, 3, 2, 2, -1, 0, Layout::NHWC);
  const InputSet in = make_inputs(p, {FillKind::integer, 2});
  vector_stats() = {};
  run_lines(p, in, {2, 7});
  EXPECT_EQ(vector_stats().misaligned, 0);
  EXPECT_EQ(vector_stats().scalar, 0) << "C_out 4: every pixel one vector store";
  EXPECT_GT(vector_stats().vector, p.n * p.h_out() * p.w_out());
}

// v2 sums each element exactly as v1 and gather do: the same bits on real-valued fills.
TEST(SmallCoutLines, BitwiseEqualToV1AndGatherOnRealValues) {
  std::mt19937_64 rng(2026120523);
  const std::vector<Problem> problems = small_cout_problems(rng, 150);
  for (std::size_t i = 0; i < problems.size(); ++i) {
    Problem p = problems[i];
    for (DType t : {DType::f32, DType::f16}) {
      p.dtype = t;
      const InputSet in = make_inputs(p, {FillKind::uniform, i});
      const HostTensor v2 = run_lines(p, in, random_grid(rng));
      ASSERT_TRUE(bitwise_equal(v2, run_v1(p, in))) << to_repro(p);
      ASSERT_TRUE(bitwise_equal(v2, run_gather(p, Direction::fwd, in))) << to_repro(p);
    }
  }
}

TEST(SmallCoutLines, PlanCapsTheGridAndLargeImagesKeepV1) {
  // FSRCNN's last layer at batch 16: 56 channels to 1, k9 s3, 100 x 100 to 300 x 300.
  const ConvGeometry g = make_geometry(shape(16, 56, 1, 1, 100, 100, 9, 3, 1, 4, 2, Layout::NCHW));
  const SmallCoutPlan p = plan_small_cout_lines(g, kH200Sms * kLinesBlocksPerSm);
  EXPECT_EQ(p.pixels, 16 * 300 * 300);
  EXPECT_EQ(p.blocks, kH200Sms * kLinesBlocksPerSm);
  EXPECT_GE(p.pixels / p.pixel_step, 2) << "each thread walks several pixels";
  EXPECT_TRUE(small_cout_lines_fit(g));
  EXPECT_FALSE(small_cout_lines_fit(make_geometry(shape(1, 8, 3, 1, 1, 2100, 3, 2, 1, 1, 0, Layout::NHWC))))
      << "4,200 columns: the table needs more than 48 KiB";
}

}  // namespace
}  // namespace tconv::cuda
