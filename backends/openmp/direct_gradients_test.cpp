// The direct gradient paths (backward_data_direct.cpp, backward_weights_direct.cpp) against
// the oracle, and bitwise equal for 1, 2 and 3 threads, on problems that take them (bwd_data:
// NCHW and NHWC; bwd_weights: NCHW, and NCHW and NHWC in its pixel-major form where C_in/g is a
// multiple of 16): strides 1 to 3, dilation,
// asymmetric and negative crops, a non-square kernel, channel counts that leave partial
// kernel blocks, more taps than one pass takes, converted weight layouts.
#include <gtest/gtest.h>

#include <cstring>

#include "backends/naive/oracle.h"
#include "backends/openmp/directions.h"
#include "backends/openmp/openmp_backend.h"
#include "backends/testing/square_problem.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv {
namespace {

std::vector<Problem> direct_problems() {
  std::vector<Problem> v{
      square_problem(2, 26, 6, 2, 20, 20, 4, 2, 1, 1, 1),   // k = 2s, 13 channels per group
      square_problem(3, 8, 12, 4, 24, 24, 3, 1, 2, 2, 2),   // stride 1, dilation
      square_problem(1, 2, 6, 2, 24, 24, 9, 3, 1, 4, 2),    // one input channel per group
      square_problem(2, 24, 8, 2, 16, 16, 3, 2, 1, -1, 2),  // negative crop (extension)
      square_problem(1, 8, 40, 2, 16, 16, 4, 2, 1, 1, 1),   // 320 taps per group: two tap blocks
  };
  Problem nonsquare = square_problem(2, 12, 12, 3, 20, 24, 1, 1, 1, 0, 0);
  nonsquare.kh = 3; nonsquare.kw = 2; nonsquare.stride_h = 2; nonsquare.stride_w = 3;
  nonsquare.dil_h = 1; nonsquare.dil_w = 2; nonsquare.crop_top = 2; nonsquare.crop_bottom = -1;
  nonsquare.crop_left = 0; nonsquare.crop_right = 1;
  v.push_back(nonsquare);
  // C_in/g a multiple of 16: bwd_weights takes the pixel-major form (two image blocks of 2 and
  // 1 images; channel blocks of 32 and 16 with dilation and an extension; a non-square kernel).
  v.push_back(square_problem(3, 64, 16, 2, 20, 20, 4, 2, 1, 1, 1));
  v.push_back(square_problem(2, 48, 5, 1, 24, 24, 3, 1, 2, -1, 2));
  v.push_back(square_problem(3, 32, 64, 2, 24, 24, 4, 2, 1, 1, 1));  // bwd_data: 3 blocks of one image
  v.push_back(square_problem(1, 64, 64, 1, 24, 24, 3, 1, 2, 2, 2));   // dilated_k3d2-like: 64 and 64
  v.push_back(square_problem(2, 128, 8, 1, 16, 16, 4, 2, 1, 1, 1));   // 128 channels per group
  nonsquare.c_in = 48;
  v.push_back(nonsquare);
  for (Problem& p : v) p.layout = Layout::NCHW;
  // NHWC: channel blocks of one or two vectors, the last one padded (bwd_data) where C_in/g is
  // not a multiple of 16 (bwd_weights then keeps the GEMM path).
  for (Problem p : {square_problem(2, 64, 6, 2, 16, 16, 4, 2, 1, 1, 1),    // dcgan_rgb-like: 3 channels per group
                    square_problem(1, 32, 40, 2, 16, 16, 4, 2, 1, 1, 1),   // 16 channels, two tap blocks
                    square_problem(2, 48, 8, 1, 24, 24, 3, 1, 2, 2, 2),    // blocks of 32 and 16, dilation
                    square_problem(1, 16, 4, 1, 24, 24, 9, 3, 1, 4, -2),   // stride 3, extension
                    square_problem(2, 24, 1, 1, 24, 24, 9, 3, 1, 4, 2),     // fsrcnn-like: 24 channels, one output
                    square_problem(3, 32, 64, 2, 24, 24, 4, 2, 1, 1, 1),    // bwd_data: 3 blocks of one image
                    square_problem(2, 128, 8, 1, 16, 16, 4, 2, 1, 1, 1)}) {  // 128 channels per group
    p.layout = Layout::NHWC;
    v.push_back(p);
  }
  return v;
}

HostTensor run(const Problem& p, Direction d, int threads, const InputSet& in, Comparison* cmp) {
  auto created = openmp_backend_factory().create("default");
  EXPECT_TRUE(created.ok()) << created.error();
  auto backend = std::move(created).value_or(nullptr);
  HostTensor out = make_output(p, d);
  RunContext ctx;
  ctx.threads = threads;
  const Status s = backend->run(p, d, with_output(in.operands(), d, out), ctx);
  EXPECT_TRUE(s.ok()) << to_repro(p) << ": " << s.message;
  *cmp = compare_to_reference(compute_reference(p, d, in.operands()), out, backend->math(p));
  return out;
}

// Against the oracle, and the same bits on 1, 2 and 3 threads, for every weight layout kind.
void expect_correct_and_deterministic(Problem p, Direction d) {
  for (Layout wl : {p.layout == Layout::NCHW ? Layout::IOHW : Layout::IHWO, Layout::OIHW_FLIPPED}) {
    p.weight_layout = wl;
    const InputSet in = make_inputs(p, {FillKind::uniform, 11});
    Comparison c1, c2, c3;
    const HostTensor one = run(p, d, 1, in, &c1), two = run(p, d, 2, in, &c2), three = run(p, d, 3, in, &c3);
    EXPECT_TRUE(c1.passed()) << to_repro(p) << ": " << c1.summary();
    EXPECT_EQ(std::memcmp(one.data(), two.data(), one.bytes()), 0) << to_repro(p);
    EXPECT_EQ(std::memcmp(one.data(), three.data(), one.bytes()), 0) << to_repro(p);
  }
}

TEST(OpenMPDirectBackwardData, MatchesTheOracleAndIsBitwiseIdenticalForAnyThreadCount) {
  if (!__builtin_cpu_supports("avx512f")) GTEST_SKIP() << "no AVX-512: the direct path is not used";
  for (const Problem& p : direct_problems()) {
    ASSERT_TRUE(openmp::use_direct_backward_data(p, openmp::Options{})) << to_repro(p);
    expect_correct_and_deterministic(p, Direction::bwd_data);
  }
}

TEST(OpenMPDirectBackwardWeights, MatchesTheOracleAndIsBitwiseIdenticalForAnyThreadCount) {
  if (!__builtin_cpu_supports("avx512f")) GTEST_SKIP() << "no AVX-512: the direct path is not used";
  int taken = 0;
  for (const Problem& p : direct_problems()) {
    if (!openmp::use_direct_backward_weights(p, openmp::Options{})) continue;
    ++taken;
    expect_correct_and_deterministic(p, Direction::bwd_weights);
  }
  EXPECT_GE(taken, 17) << "C_out/g <= 32, or 64 in the pixel-major form (NHWC: C_in/g a multiple of 16)";
  Problem wide = square_problem(2, 8, 128, 2, 32, 32, 3, 1, 2, 2, 2);  // 64 outputs per group, 4 inputs: phase form
  EXPECT_FALSE(openmp::use_direct_backward_weights(wide, openmp::Options{}));
  wide.c_out = 64;
  EXPECT_TRUE(openmp::use_direct_backward_weights(wide, openmp::Options{}));
}

TEST(OpenMPDirectBackwardData, TakenOnlyWithFewChannelsPerGroupAndLittlePadding) {
  Problem p = square_problem(8, 256, 256, 4, 4, 4, 4, 2, 1, 1, 1);  // 4x4 images, 6-wide padded rows
  if (!__builtin_cpu_supports("avx512f")) {
    p.h_in = p.w_in = 32;
    EXPECT_FALSE(openmp::use_direct_backward_data(p, openmp::Options{})) << "the direct path needs AVX-512";
    GTEST_SKIP() << "no AVX-512: the direct path is never taken (checked on a problem it would take)";
  }
  EXPECT_FALSE(openmp::use_direct_backward_data(p, openmp::Options{}));
  p.h_in = p.w_in = 32;
  EXPECT_TRUE(openmp::use_direct_backward_data(p, openmp::Options{})) << "64 channels per group, 32x32";
  p.groups = 2;
  EXPECT_TRUE(openmp::use_direct_backward_data(p, openmp::Options{})) << "128 channels per group";
  p.groups = 1;
  EXPECT_FALSE(openmp::use_direct_backward_data(p, openmp::Options{})) << "256 channels: the GEMM path";
  p = square_problem(2, 24, 8, 1, 32, 32, 4, 2, 1, 1, 1);
  p.layout = Layout::NHWC;
  EXPECT_TRUE(openmp::use_direct_backward_data(p, openmp::Options{})) << "NHWC, 24 channels: padded to 32";
  EXPECT_FALSE(openmp::use_direct_backward_weights(p, openmp::Options{})) << "NHWC, 24 channels: not whole vectors";
}

}  // namespace
}  // namespace tconv
