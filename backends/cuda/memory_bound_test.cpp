// The memory-bound families (depthwise, small_cout, bias_reduce), every thread emulated on the CPU against
// the oracle: random problems (groups, depthwise, dilation, negative / asymmetric crops, both
// layouts, every weight layout) and edge shapes chosen to take and to break the vector paths
// (odd widths, channel counts not a multiple of 4). A vector access at an offset that is not a
// multiple of 4 elements poisons its values in emulation (vector_access.h), so it fails here.
#include <cuda_fp16.h>
#include <gtest/gtest.h>

#include "backends/cuda/memory_bound_emulate.h"
#include "backends/cuda/memory_bound_test_support.h"

namespace tconv::cuda {
namespace {

HostTensor run_depthwise(const Problem& p, Direction d, const InputSet& in) {
  return run_emulated(p, d, in, [d, &p](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_depthwise_v1<__half, float>(d, g, ops);
    else
      emulate_depthwise_v1<float, float>(d, g, ops);
  });
}

HostTensor run_small_cout(const Problem& p, const InputSet& in) {
  return run_emulated(p, Direction::fwd, in, [&p](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_small_cout_v1<__half, float>(g, ops);
    else
      emulate_small_cout_v1<float, float>(g, ops);
  });
}

TEST(Depthwise, EveryThreadIsExactOnRandomProblems) {
  std::mt19937_64 rng(2026120501);
  crosscheck::RandomProblemLimits wide;
  wide.max_groups = 8, wide.max_channels_per_group = 2;
  int nhwc = 0, negative = 0, dilated = 0;
  for (int i = 0; i < 1200; ++i) {
    const Problem p = random_problem_of(rng, DType::f32, i % 2 ? wide : crosscheck::RandomProblemLimits{});
    ASSERT_EQ(depthwise_refuses(Direction::fwd, make_geometry(p), p.dtype), Status::Ok()) << to_repro(p);
    nhwc += p.layout == Layout::NHWC;
    negative += p.crop_top < 0 || p.crop_left < 0;
    dilated += p.dil_h > 1 || p.dil_w > 1;
    const InputSet in = make_inputs(p, {FillKind::integer, static_cast<std::uint64_t>(i)});
    for (Direction d : {Direction::fwd, Direction::bwd_data}) ASSERT_TRUE(equals_oracle_exactly(p, d, in, run_depthwise(p, d, in)));
  }
  EXPECT_GT(nhwc, 300);
  EXPECT_GT(negative, 60);
  EXPECT_GT(dilated, 300);
}

TEST(Depthwise, EdgeShapesAreExactAndVectorAccessesAligned) {
  for (const Problem& p : depthwise_edge_shapes()) {
    const InputSet in = make_inputs(p, {FillKind::integer, 5});
    for (Direction d : {Direction::fwd, Direction::bwd_data}) {
      vector_stats() = {};
      ASSERT_TRUE(equals_oracle_exactly(p, d, in, run_depthwise(p, d, in)));
      EXPECT_EQ(vector_stats().misaligned, 0) << to_repro(p);
    }
  }
}

// The vector paths really run where alignment allows, and not where it does not.
TEST(Depthwise, VectorPathsRunWhereAlignmentAllows) {
  const Problem aligned = shape(2, 8, 8, 8, 6, 8, 3, 2, 1, 1, 0, Layout::NHWC);
  const InputSet in = make_inputs(aligned, {FillKind::integer, 1});
  vector_stats() = {};
  run_depthwise(aligned, Direction::fwd, in);
  const ConvGeometry g = make_geometry(aligned);
  // Every run is a whole aligned vector: one store per run, one load per (run, landing tap).
  EXPECT_EQ(vector_stats().scalar, 0);
  EXPECT_GT(vector_stats().vector, run_threads(g.n, g.c_out, g.h_out, g.w_out, true));
  const Problem odd = shape(1, 6, 6, 6, 3, 5, 3, 2, 1, 1, 0, Layout::NHWC);  // 6 channels: no vector loads
  const InputSet odd_in = make_inputs(odd, {FillKind::integer, 1});
  vector_stats() = {};
  run_depthwise(odd, Direction::bwd_data, odd_in);
  EXPECT_EQ(vector_stats().misaligned, 0);
  EXPECT_GT(vector_stats().scalar, 0) << "runs of 2 channels are stored element by element";
}

// Same summation order as gather, element by element: bitwise equal on real-valued fills in
// f32 and f16 (gather ran correct and bitwise repeatable on an H200), whichever path a run takes.
TEST(Depthwise, BitwiseEqualToGatherOnRealValues) {
  const std::vector<Problem> problems = real_valued_problems(99);
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    const InputSet in = make_inputs(p, {FillKind::uniform, i});
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      ASSERT_TRUE(bitwise_equal(run_depthwise(p, d, in), run_gather(p, d, in))) << to_string(d) << " " << to_repro(p);
  }
}

TEST(Depthwise, RefusesOutsideItsRule) {
  Problem p = shape(1, 10, 10, 2, 4, 4, 3, 2, 1, 0, 0, Layout::NCHW);  // 5 channels per group
  const ConvGeometry g = make_geometry(p);
  EXPECT_EQ(depthwise_refuses(Direction::fwd, g, DType::f32),
            Status::Unsupported("depthwise: needs at most 4 channels per group in and out (C_in/g = 5, C_out/g = 5)"));
  const ConvGeometry dw = make_geometry(shape(1, 4, 4, 4, 4, 4, 3, 2, 1, 0, 0, Layout::NCHW));
  EXPECT_EQ(depthwise_refuses(Direction::bwd_weights, dw, DType::f32),
            Status::Unsupported("depthwise: runs fwd and bwd_data only"));
  EXPECT_EQ(depthwise_refuses(Direction::fwd, dw, DType::f64), Status::Unsupported("depthwise: f32, f16 and bf16 only"));
  EXPECT_EQ(depthwise_refuses(Direction::bwd_data, dw, DType::bf16), Status::Ok());
}

TEST(SmallCout, EveryThreadIsExactOnRandomAndEdgeProblems) {
  std::mt19937_64 rng(2026120502);
  std::vector<Problem> problems = small_cout_edge_shapes();
  while (problems.size() < 900) {
    const Problem p = random_problem_of(rng, DType::f32);
    if (p.c_out <= kSmallCoutMax) problems.push_back(p);
  }
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    ASSERT_EQ(small_cout_refuses(Direction::fwd, make_geometry(p), p.dtype), Status::Ok());
    const InputSet in = make_inputs(p, {FillKind::integer, i});
    vector_stats() = {};
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::fwd, in, run_small_cout(p, in)));
    EXPECT_EQ(vector_stats().misaligned, 0) << to_repro(p);
  }
}

TEST(SmallCout, VectorLoadsAndStoresRunWhereAlignmentAllows) {
  const Problem p = shape(1, 8, 4, 1, 3, 7, 3, 2, 2, -1, 0, Layout::NHWC);
  const InputSet in = make_inputs(p, {FillKind::integer, 2});
  vector_stats() = {};
  run_small_cout(p, in);
  EXPECT_EQ(vector_stats().scalar, 0) << "C_out 4: every pixel one vector store";
  EXPECT_GT(vector_stats().vector, p.n * p.h_out() * p.w_out());
}

TEST(SmallCout, BitwiseEqualToGatherOnRealValues) {
  std::vector<Problem> problems = small_cout_edge_shapes();
  for (std::size_t i = 0; i < problems.size(); ++i) {
    Problem p = problems[i];
    for (DType t : {DType::f32, DType::f16}) {
      p.dtype = t;
      const InputSet in = make_inputs(p, {FillKind::uniform, i});
      ASSERT_TRUE(bitwise_equal(run_small_cout(p, in), run_gather(p, Direction::fwd, in))) << to_repro(p);
    }
  }
}

TEST(SmallCout, RefusesOutsideItsRule) {
  const ConvGeometry g = make_geometry(shape(1, 8, 5, 1, 4, 4, 3, 2, 1, 0, 0, Layout::NCHW));
  EXPECT_EQ(small_cout_refuses(Direction::fwd, g, DType::f32), Status::Unsupported("small_cout: needs C_out <= 4 (C_out = 5)"));
  const ConvGeometry ok = make_geometry(shape(1, 8, 3, 1, 4, 4, 3, 2, 1, 0, 0, Layout::NCHW));
  EXPECT_EQ(small_cout_refuses(Direction::bwd_data, ok, DType::f32), Status::Unsupported("small_cout: runs fwd only"));
  EXPECT_EQ(small_cout_refuses(Direction::fwd, ok, DType::f64), Status::Unsupported("small_cout: f32, f16 and bf16 only"));
}

HostTensor run_depthwise_wgrad(const Problem& p, const InputSet& in) {
  return run_emulated(p, Direction::bwd_weights, in, [&p](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f16)
      emulate_depthwise_wgrad<__half, float>(g, ops);
    else
      emulate_depthwise_wgrad<float, float>(g, ops);
  });
}

TEST(DepthwiseWgrad, BothPassesEmulatedAreExactOnRandomAndEdgeProblems) {
  std::mt19937_64 rng(2026120504);
  std::vector<Problem> problems = depthwise_edge_shapes();
  problems.push_back(shape(16, 8, 8, 8, 12, 12, 3, 2, 1, 1, 0, Layout::NCHW));  // many splits
  crosscheck::RandomProblemLimits wide;
  wide.max_groups = 8, wide.max_channels_per_group = 2;
  for (int i = 0; i < 800; ++i) problems.push_back(random_problem_of(rng, DType::f32, i % 2 ? wide : crosscheck::RandomProblemLimits{}));
  int multi_split = 0;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    ASSERT_EQ(depthwise_wgrad_refuses(Direction::bwd_weights, make_geometry(p), p.dtype), Status::Ok());
    const WgradSplitPlan plan = plan_depthwise_wgrad(make_geometry(p));
    EXPECT_LT(plan.rows_per_split * (plan.splits - 1), plan.rows) << "an empty split: " << to_repro(p);
    EXPECT_GE(plan.rows_per_split * plan.splits, plan.rows) << to_repro(p);
    multi_split += plan.splits > 1;
    const InputSet in = make_inputs(p, {FillKind::integer, i});
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::bwd_weights, in, run_depthwise_wgrad(p, in)));
  }
  EXPECT_GE(multi_split, 400);
}

// The motivating layer: 2,304 weights get 57 splits of 18 input rows each (131k threads), not
// 2,304 threads.
TEST(DepthwiseWgrad, FewWeightsSpreadOverManyThreads) {
  const WgradSplitPlan plan = plan_depthwise_wgrad(make_geometry(shape(16, 256, 256, 256, 64, 64, 3, 2, 1, 1, 0, Layout::NCHW)));
  EXPECT_EQ(plan.weights, 2304);
  EXPECT_EQ(plan.rows, 1024);
  EXPECT_EQ(plan.splits, 57);
  EXPECT_GE(plan.threads(), kWgradSplitThreads);
}

TEST(DepthwiseWgrad, RandomRealValuesStayWithinTheToleranceBound) {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 150; ++i) {
    Problem p = random_problem_of(rng, i % 3 == 0 ? DType::f16 : DType::f32);
    const InputSet in = make_inputs(p, {FillKind::uniform, static_cast<std::uint64_t>(i)});
    MathMode m = default_math(p.dtype);
    const WgradSplitPlan plan = plan_depthwise_wgrad(make_geometry(p));
    m.split_k = static_cast<int>(plan.splits), m.u_split = 0x1p-24;
    const Comparison c = compare_to_reference(compute_reference(p, Direction::bwd_weights, in.operands()),
                                              run_depthwise_wgrad(p, in), m);
    ASSERT_TRUE(c.passed()) << to_repro(p) << ": " << c.summary();
  }
}

HostTensor run_bias_reduce(const Problem& p, const InputSet& in) {
  return run_emulated(p, Direction::bwd_bias, in, [&p](const ConvGeometry& g, const DeviceOperands& ops) {
    if (p.dtype == DType::f64)
      emulate_bias_reduce<double, double>(g, ops);
    else
      emulate_bias_reduce<float, float>(g, ops);
  });
}

// Shapes for the bias reduction: odd planes (no NCHW vectors), C % 4 (NHWC vectors or not),
// more than 256 column vectors (two NHWC channel tiles), enough elements for many splits.
std::vector<Problem> bias_edge_shapes() {
  std::vector<Problem> v;
  for (Layout l : kDataLayouts) {
    v.push_back(shape(64, 4, 3, 1, 32, 32, 4, 2, 1, 1, 1, l));      // DCGAN's last layer: 3 channels, 64x64
    v.push_back(shape(3, 2, 5, 1, 13, 11, 3, 2, 1, 1, 0, l));       // 25x22 planes, 5 channels
    v.push_back(shape(2, 2, 8, 1, 7, 9, 2, 1, 1, 0, 0, l));         // 8x10: odd-free planes of 80
    v.push_back(shape(2, 1, 1028, 1, 3, 3, 1, 1, 1, 0, 0, l));      // 257 column vectors
    v.push_back(shape(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, l));         // one element
  }
  return v;
}

TEST(BiasReduce, PlansCoverEveryElementOnceWithNoEmptySplit) {
  std::mt19937_64 rng(4);
  std::vector<Problem> problems = bias_edge_shapes();
  for (int i = 0; i < 400; ++i) problems.push_back(random_problem_of(rng, DType::f32));
  for (const Problem& p : problems) {
    const ConvGeometry g = make_geometry(p);
    const BiasPlan plan = plan_bias_reduce(g);
    const std::int64_t rows = g.n * g.h_out * g.w_out;
    ASSERT_EQ(plan.per_channel, rows);
    EXPECT_GE(plan.per_split * plan.splits, rows) << to_repro(p);
    EXPECT_LT(plan.per_split * (plan.splits - 1), rows) << "an empty split: " << to_repro(p);
    if (!plan.nhwc) {
      EXPECT_EQ(plan.per_split % kVec, 0);
      EXPECT_EQ(plan.tiles, g.c_out);
    } else {
      EXPECT_LE(plan.cols * plan.lanes, kBiasThreads);
      EXPECT_GE(plan.tiles * plan.cols * plan.width, g.c_out);
    }
  }
}

TEST(BiasReduce, BothPassesEmulatedAreExactOnRandomAndEdgeProblems) {
  std::mt19937_64 rng(2026120503);
  std::vector<Problem> problems = bias_edge_shapes();
  for (int i = 0; i < 500; ++i) problems.push_back(random_problem_of(rng, i % 2 ? DType::f32 : DType::f64));
  int multi_split = 0, vec = 0;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    ASSERT_EQ(bias_reduce_refuses(Direction::bwd_bias, make_geometry(p), p.dtype), Status::Ok());
    const BiasPlan plan = plan_bias_reduce(make_geometry(p));
    multi_split += plan.splits > 1;
    vec += plan.vec;
    const InputSet in = make_inputs(p, {FillKind::integer, i});
    vector_stats() = {};
    ASSERT_TRUE(equals_oracle_exactly(p, Direction::bwd_bias, in, run_bias_reduce(p, in)));
    EXPECT_EQ(vector_stats().misaligned, 0) << to_repro(p);
  }
  EXPECT_GE(multi_split, 4);
  EXPECT_GE(vec, 50);
}

TEST(BiasReduce, FewChannelsSpreadOverManyBlocks) {
  const BiasPlan plan = plan_bias_reduce(make_geometry(shape(64, 64, 3, 1, 32, 32, 4, 2, 1, 1, 1, Layout::NCHW)));
  EXPECT_EQ(plan.tiles, 3);
  // 64 x 64 x 64 elements per channel, at least 4 vectors per thread: 64 splits per channel.
  EXPECT_EQ(plan.blocks(), 3 * 64) << "three channels, not three blocks";
  EXPECT_TRUE(plan.vec);
}

TEST(BiasReduce, RefusesOtherDirections) {
  const ConvGeometry g = make_geometry(shape(1, 4, 4, 1, 4, 4, 3, 2, 1, 0, 0, Layout::NCHW));
  EXPECT_EQ(bias_reduce_refuses(Direction::fwd, g, DType::f32), Status::Unsupported("bias_reduce: runs bwd_bias only"));
  EXPECT_EQ(bias_reduce_refuses(Direction::bwd_bias, g, DType::f64), Status::Ok());
}

}  // namespace
}  // namespace tconv::cuda
