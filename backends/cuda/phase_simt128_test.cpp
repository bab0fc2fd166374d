// phase_simt128 (phase_simt128.cu) on the CPU: every block of the f32 simt128 kernel emulated
// (simt128_emulate.h: the 3-stage cp.async pipeline with copies landing only at their wait,
// poisoned slots and tables) against the oracle, integer fills (exact), on random problems
// of every parameter, named edge shapes, multi-tile GEMMs, and with unaligned base pointers
// (the 4-byte fallback everywhere).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_simt128.h"
#include "backends/cuda/simt128_emulate.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::simt128 {
namespace {

std::string emulate(const Problem& p, Direction d, std::mt19937_64& rng, EmuAligned al = {}) {
  EXPECT_EQ(phase_simt128_refuses(d, mma::geometry_of(p), DType::f32), Status::Ok()) << to_repro(p);
  return mma::check_against_oracle(p, d, DType::f32, rng,
                                   [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
                                     emulate_phase_simt128(d, g, static_cast<const float*>(A), static_cast<const float*>(B),
                                                           static_cast<const float*>(bias), static_cast<float*>(C), al);
                                   });
}

void sweep(Direction d, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int i = 0; i < count && failures < 5; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const EmuAligned al = i % 3 == 2 ? EmuAligned{false, false, false} : EmuAligned{};
    const std::string why = emulate(p, d, rng, al);
    if (!why.empty()) ++failures;
    EXPECT_EQ(why, "") << "problem " << i;
  }
}

TEST(PhaseSimt128, FwdEmulatedMatchesOracle) { sweep(Direction::fwd, 400, 31); }
TEST(PhaseSimt128, BwdDataEmulatedMatchesOracle) { sweep(Direction::bwd_data, 400, 32); }

// Named edge shapes: negative and asymmetric crops, output_padding, dilation, groups and
// depthwise, phases without taps (kernel < stride), odd and misaligned widths, both layouts.
TEST(PhaseSimt128, EdgeShapesMatchOracle) {
  const char* shapes[] = {
      "n=1 ci=3 co=5 g=1 in=7x9 k=3x3 s=2x2 d=1x1 crop=-1,-2,0,-1 bias=1",
      "n=2 ci=4 co=6 g=2 in=5x6 k=3x2 s=2x3 d=2x1 crop=1,0,0,1 bias=1",
      "n=2 ci=8 co=8 g=8 in=9x9 k=3x3 s=2x2 d=1x1 crop=1,0,1,0",
      "n=1 ci=6 co=4 g=1 in=13x7 k=5x5 s=3x3 d=1x1 crop=2,1,2,1 bias=1 layout=NHWC wl=IHWO",
      "n=1 ci=5 co=3 g=1 in=6x11 k=2x2 s=4x4 d=1x1 crop=0,0,0,0 bias=1",
      "n=3 ci=2 co=7 g=1 in=1x17 k=1x4 s=1x2 d=1x3 crop=0,-3,1,0",
      "n=1 ci=12 co=20 g=4 in=11x5 k=4x4 s=2x2 d=1x1 crop=1,1,1,1 bias=1 layout=NHWC wl=IHWO",
      "n=2 ci=9 co=9 g=1 in=33x35 k=3x3 s=1x1 d=1x1 crop=1,1,1,1 bias=1",
  };
  std::mt19937_64 rng(33);
  for (const char* s : shapes) {
    const Result<Problem> p = parse_problem(s);
    ASSERT_TRUE(p.ok()) << s;
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      for (bool aligned : {true, false})
        EXPECT_EQ(emulate(*p, d, rng, EmuAligned{aligned, aligned, aligned}), "") << s;
  }
}

// GEMMs of several 128 x 128 tiles in M and N and many k-steps (the pipeline wraps its slots).
TEST(PhaseSimt128, MultiTileProblemsMatchOracle) {
  std::mt19937_64 rng(34);
  // n <= 2, up to 150 channels per group, groups <= 2, spatial <= 20, kernel <= 3, stride <= 2.
  const crosscheck::RandomProblemLimits big{2, 150, 2, 20, 3, 2, 2};
  for (int i = 0; i < 4; ++i) {
    const Problem p = crosscheck::random_problem(rng, big);
    for (Direction d : {Direction::fwd, Direction::bwd_data}) EXPECT_EQ(emulate(p, d, rng), "") << to_repro(p);
  }
}

TEST(PhaseSimt128, RefusesWhatItDoesNotRun) {
  const ConvGeometry g = mma::geometry_of(*parse_problem("n=1 ci=4 co=6 in=5x5 k=3x3 s=2x2"));
  EXPECT_EQ(phase_simt128_refuses(Direction::fwd, g, DType::f32), Status::Ok());
  EXPECT_EQ(phase_simt128_refuses(Direction::bwd_data, g, DType::f32), Status::Ok());
  EXPECT_EQ(phase_simt128_refuses(Direction::bwd_weights, g, DType::f32),
            Status::Unsupported("phase_simt128: fwd and bwd_data only"));
  EXPECT_EQ(phase_simt128_refuses(Direction::fwd, g, DType::f16),
            Status::Unsupported("phase_simt128: dtype f16 not supported (f32 only)"));
  ConvGeometry wide = g;
  wide.groups = wide.c_in = wide.c_out = 70000;  // grid y = groups * N tiles > 65535
  EXPECT_NE(phase_simt128_refuses(Direction::fwd, wide, DType::f32).message.find("grid"), std::string::npos);
}

// The quad copies' offsets are 32-bit (QuadCopy): x (fwd) or dy (bwd_data) of 2^31 elements or
// more is refused, 458,752 fewer is not.
TEST(PhaseSimt128, RefusesOperandsBeyondThirtyTwoBitOffsets) {
  const ConvGeometry fits = mma::geometry_of(*parse_problem("n=1 ci=1024 co=8 in=1448x1448 k=1x1 s=1x1"));
  EXPECT_EQ(phase_simt128_refuses(Direction::fwd, fits, DType::f32), Status::Ok());
  const ConvGeometry big_x = mma::geometry_of(*parse_problem("n=1 ci=1024 co=8 in=1448x1449 k=1x1 s=1x1"));
  EXPECT_EQ(phase_simt128_refuses(Direction::fwd, big_x, DType::f32),
            Status::Unsupported("phase_simt128: x or the filter has 2^31 elements or more (32-bit element offsets)"));
  EXPECT_EQ(phase_simt128_refuses(Direction::bwd_data, big_x, DType::f32), Status::Ok()) << "dy has 8 channels";
  const ConvGeometry big_dy = mma::geometry_of(*parse_problem("n=1 ci=8 co=1024 in=1448x1449 k=1x1 s=1x1"));
  EXPECT_EQ(phase_simt128_refuses(Direction::bwd_data, big_dy, DType::f32),
            Status::Unsupported("phase_simt128: dy or the filter has 2^31 elements or more (32-bit element offsets)"));
}

}  // namespace
}  // namespace tconv::cuda::simt128
