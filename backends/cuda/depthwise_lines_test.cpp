// depthwise v2 ("lines", depthwise_lines.h) on the CPU: its tap table against a brute-force
// enumeration of every line's taps, its row walk against division at every step, and whole
// launches emulated block by block (grids of 1 block up, blocks of 1 to 256 threads, so threads
// walk many rows and carry through every digit) equal to the oracle, to v1 and to gather bit for bit.
#include <cuda_fp16.h>
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "backends/cuda/memory_bound_emulate.h"
#include "backends/cuda/memory_bound_test_support.h"

namespace tconv::cuda {
namespace {

HostTensor run_lines(const Problem& p, Direction d, const InputSet& in, Grid grid) {
  return run_emulated(p, d, in, [&](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_depthwise_lines<__half, float>(d, g, ops, grid.max_blocks, grid.threads);
    else
      emulate_depthwise_lines<float, float>(d, g, ops, grid.max_blocks, grid.threads);
  });
}

HostTensor run_v1(const Problem& p, Direction d, const InputSet& in) {
  return run_emulated(p, d, in, [&](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_depthwise_v1<__half, float>(d, g, ops);
    else
      emulate_depthwise_v1<float, float>(d, g, ops);
  });
}

// (tap, source line) pairs of destination line o, in tap order, straight from the definition
// o = i*stride - crop + k*dil (fwd: source i; bwd_data: source o', destination i).
std::vector<std::pair<std::int64_t, std::int64_t>> brute_taps(const AxisGeometry& a, bool fwd, std::int64_t o) {
  std::vector<std::pair<std::int64_t, std::int64_t>> v;
  for (std::int64_t k = 0; k < a.taps; ++k)
    for (std::int64_t src = 0; src < a.src_size; ++src) {
      const bool linked = fwd ? src * a.stride - a.crop + k * a.dil == o : o * a.stride - a.crop + k * a.dil == src;
      if (linked) v.emplace_back(k, src);
    }
  return v;
}

std::vector<std::pair<std::int64_t, std::int64_t>> table_taps(const LineTaps& l, const AxisTaps& t) {
  std::vector<std::pair<std::int64_t, std::int64_t>> v;
  for (int j = 0; j < l.count; ++j) v.emplace_back(l.first + j * t.step, l.src_first - j * t.src_step);
  return v;
}

TEST(DepthwiseLines, TableHoldsExactlyTheTapsOfEveryLine) {
  std::mt19937_64 rng(2026120511);
  int lines = 0, empty = 0;
  for (int i = 0; i < 400; ++i) {
    const Problem p = random_problem_of(rng, DType::f32);
    for (Direction d : {Direction::fwd, Direction::bwd_data}) {
      const LinesPlan plan = plan_depthwise_lines(d, make_geometry(p), 4, 7);
      std::vector<LineTaps> table(static_cast<std::size_t>(plan.table.h_lines + plan.table.w_lines));
      for (int t = 0; t < plan.threads; ++t) fill_tap_table(plan.table, plan.fwd, t, plan.threads, table.data());
      for (int o = 0; o < plan.table.h_lines + plan.table.w_lines; ++o) {
        const bool row = o < plan.table.h_lines;
        const auto want = brute_taps(row ? plan.table.axis_h : plan.table.axis_w, plan.fwd, row ? o : o - plan.table.h_lines);
        ASSERT_EQ(table_taps(table[o], row ? plan.table.taps_h : plan.table.taps_w), want)
            << to_string(d) << " line " << o << " of " << to_repro(p);
        ++lines;
        empty += want.empty();
      }
    }
  }
  EXPECT_GT(empty, 100) << "lines without taps must be among those checked";
  EXPECT_GT(lines, 10000);
}

// Every thread's digits equal the division of its row at every step, and the threads of all
// blocks together visit every (row, lane) once.
TEST(DepthwiseLines, RowWalkEqualsDivisionAndCoversEveryRunOnce) {
  std::mt19937_64 rng(2026120512);
  for (int i = 0; i < 300; ++i) {
    const Problem p = random_problem_of(rng, DType::f32);
    const Direction d = i % 2 ? Direction::fwd : Direction::bwd_data;
    const Grid grid = random_grid(rng);
    const LinesPlan plan = plan_depthwise_lines(d, make_geometry(p), grid.max_blocks, grid.threads);
    std::vector<int> visits(static_cast<std::size_t>(plan.rows * plan.lanes), 0);
    for (std::int64_t b = 0; b < plan.blocks; ++b)
      for (int t = 0; t < plan.lanes * plan.rows_per_pass; ++t) {
        std::int64_t row = b * plan.rows_per_pass + t / plan.lanes;
        if (row >= plan.rows) continue;
        RowDigits dg = row_digits(plan.walk, row);
        for (; row < plan.rows; row += plan.row_step, advance_row(plan.walk, dg)) {
          const RowDigits want = row_digits(plan.walk, row);
          ASSERT_TRUE(dg.d0 == want.d0 && dg.d1 == want.d1 && dg.d2 == want.d2 && dg.d3 == want.d3)
              << "row " << row << " of " << to_repro(p);
          ++visits[static_cast<std::size_t>(row * plan.lanes + t % plan.lanes)];
        }
      }
    for (int v : visits) ASSERT_EQ(v, 1) << to_repro(p);
  }
}

TEST(DepthwiseLines, EveryBlockIsExactOnRandomProblems) {
  std::mt19937_64 rng(2026120513);
  crosscheck::RandomProblemLimits wide;
  wide.max_groups = 8, wide.max_channels_per_group = 2;
  int nhwc = 0, walked = 0;
  for (int i = 0; i < 1200; ++i) {
    const Problem p = random_problem_of(rng, DType::f32, i % 2 ? wide : crosscheck::RandomProblemLimits{});
    const InputSet in = make_inputs(p, {FillKind::integer, static_cast<std::uint64_t>(i)});
    const Grid grid = random_grid(rng);
    for (Direction d : {Direction::fwd, Direction::bwd_data}) {
      ASSERT_TRUE(equals_oracle_exactly(p, d, in, run_lines(p, d, in, grid)))
          << grid.max_blocks << " blocks of " << grid.threads;
      const LinesPlan plan = plan_depthwise_lines(d, make_geometry(p), grid.max_blocks, grid.threads);
      walked += plan.rows > plan.row_step;
    }
    nhwc += p.layout == Layout::NHWC;
  }
  EXPECT_GT(nhwc, 300);
  EXPECT_GT(walked, 800) << "many launches must make threads walk several rows";
}

TEST(DepthwiseLines, EdgeShapesAreExactWithAlignedVectorsWhereAllowed) {
  for (const Problem& p : depthwise_edge_shapes()) {
    const InputSet in = make_inputs(p, {FillKind::integer, 5});
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      for (Grid grid : {Grid{1, 7}, Grid{3, 32}, Grid{1 << 20, kLinesThreads}}) {
        vector_stats() = {};
        ASSERT_TRUE(equals_oracle_exactly(p, d, in, run_lines(p, d, in, grid)));
        EXPECT_EQ(vector_stats().misaligned, 0) << to_repro(p);
      }
  }
  const Problem aligned = shape(2, 8, 8, 8, 6, 8, 3, 2, 1, 1, 0, Layout::NHWC);
  const InputSet in = make_inputs(aligned, {FillKind::integer, 1});
  vector_stats() = {};
  run_lines(aligned, Direction::fwd, in, {2, 32});
  EXPECT_EQ(vector_stats().scalar, 0) << "every run of this shape is a whole aligned vector";
  EXPECT_GT(vector_stats().vector, 2 * 12 * 16 * 2) << "a store per run and loads per landing tap";
}

// v2 sums each element exactly as v1 and gather do: the same bits on real-valued fills.
TEST(DepthwiseLines, BitwiseEqualToV1AndGatherOnRealValues) {
  std::mt19937_64 rng(2026120514);
  const std::vector<Problem> problems = real_valued_problems(2026120515);
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    const InputSet in = make_inputs(p, {FillKind::uniform, i});
    for (Direction d : {Direction::fwd, Direction::bwd_data}) {
      const HostTensor v2 = run_lines(p, d, in, random_grid(rng));
      ASSERT_TRUE(bitwise_equal(v2, run_v1(p, d, in))) << to_string(d) << " " << to_repro(p);
      ASSERT_TRUE(bitwise_equal(v2, run_gather(p, d, in))) << to_string(d) << " " << to_repro(p);
    }
  }
}

TEST(DepthwiseLines, PlanCapsTheGridAndLargeImagesKeepV1) {
  const ConvGeometry g = make_geometry(shape(16, 256, 256, 256, 64, 64, 3, 2, 1, 1, 0, Layout::NCHW));
  const LinesPlan p = plan_depthwise_lines(Direction::fwd, g, 132 * kLinesBlocksPerSm);
  EXPECT_EQ(p.len, 128);
  EXPECT_EQ(p.lanes, 32);
  EXPECT_EQ(p.rows_per_pass, 8);
  EXPECT_EQ(p.rows, 16 * 256 * 128);
  EXPECT_EQ(p.blocks, 132 * kLinesBlocksPerSm);
  EXPECT_GT(p.rows / p.row_step, 30) << "each thread walks tens of rows";
  EXPECT_TRUE(lines_fit(Direction::fwd, g));
  const ConvGeometry wide = make_geometry(shape(1, 4, 4, 4, 1, 2100, 3, 2, 1, 1, 0, Layout::NHWC));
  EXPECT_FALSE(lines_fit(Direction::fwd, wide)) << "4,200 columns: the table needs more than 48 KiB";
  EXPECT_TRUE(lines_fit(Direction::bwd_data, wide)) << "2,100 columns of dx fit";
}

}  // namespace
}  // namespace tconv::cuda
