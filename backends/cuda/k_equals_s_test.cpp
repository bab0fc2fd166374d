// Kernel family v3 (k_equals_s.cu) on the CPU: its refusal rule, and every block of the kernel
// emulated (mma_emulator.h) against the oracle on random k == s problems (kernel 1..4 per
// axis, groups incl. depthwise, bias on/off, both layouts, f32 / f16 / bf16, partial and
// multi-tile GEMMs).
#include <gtest/gtest.h>

#include <random>

#include "backends/cuda/k_equals_s.h"
#include "backends/cuda/mma_test_support.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::mma {
namespace {

std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// A random problem the fast path takes: kernel == stride, dilation 1, no crop.
Problem random_ks_problem(std::mt19937_64& rng, std::int64_t max_channels) {
  Problem p;
  p.n = pick(rng, 1, 3);
  p.groups = pick(rng, 1, 3);
  const bool depthwise = pick(rng, 0, 3) == 0;
  p.c_in = p.groups * (depthwise ? 1 : pick(rng, 1, max_channels));
  p.c_out = p.groups * (depthwise ? pick(rng, 1, 2) : pick(rng, 1, max_channels));
  p.h_in = pick(rng, 1, 7);
  p.w_in = pick(rng, 1, 7);
  p.kh = p.stride_h = pick(rng, 1, 4);
  p.kw = p.stride_w = pick(rng, 0, 1) ? p.kh : pick(rng, 1, 4);
  p.bias = pick(rng, 0, 1) == 1;
  p.layout = pick(rng, 0, 1) ? Layout::NHWC : Layout::NCHW;
  return p;
}

std::string emulate_ks(const Problem& p, Direction d, DType t, std::mt19937_64& rng) {
  EXPECT_EQ(k_equals_s_refuses(d, geometry_of(p), t), Status::Ok()) << to_repro(p);
  return check_against_oracle(p, d, t, rng, [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
    emulate_k_equals_s(d, g, t, A, B, bias, C);
  });
}

void sweep(Direction d, DType t, int count, std::int64_t max_channels, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int i = 0; i < count && failures < 5; ++i) {
    const std::string why = emulate_ks(random_ks_problem(rng, max_channels), d, t, rng);
    if (!why.empty()) ++failures;
    EXPECT_EQ(why, "") << "problem " << i;
  }
}

TEST(KEqualsS, SeparableOffsetsEqualTheDirectDefinitions) {
  std::mt19937_64 rng(30);
  for (int it = 0; it < 400; ++it) {
    const Problem p = in_device_formats(random_ks_problem(rng, 4), DType::f32);
    EXPECT_EQ(check_separable(KsFwdView{geometry_of(p)}), "") << to_repro(p);
    EXPECT_EQ(check_separable(KsBwdDataView{geometry_of(p)}), "") << to_repro(p);
  }
}

TEST(KEqualsS, FwdF32EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f32, 500, 4, 31); }
TEST(KEqualsS, BwdDataF32EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f32, 500, 4, 32); }
TEST(KEqualsS, FwdF16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f16, 200, 4, 33); }
TEST(KEqualsS, FwdBf16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::bf16, 200, 4, 34); }
TEST(KEqualsS, BwdDataF16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f16, 200, 4, 35); }
TEST(KEqualsS, BwdDataBf16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::bf16, 200, 4, 36); }

// Up to 70 channels per group: several N tiles (C_out/g*kh*kw > 64) and k-steps.
TEST(KEqualsS, MultiTileProblemsMatchOracle) {
  for (DType t : {DType::f32, DType::f16, DType::bf16}) {
    sweep(Direction::fwd, t, 6, 70, 37);
    sweep(Direction::bwd_data, t, 6, 70, 38);
  }
}

// The refusal names the rule, and is ok exactly for kernel == stride, dilation 1, no crop.
TEST(KEqualsS, RefusesExactlyOutsideItsRule) {
  std::mt19937_64 rng(39);
  int taken = 0;
  for (int i = 0; i < 3000; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const ConvGeometry g = geometry_of(p);
    const bool rule = p.kh == p.stride_h && p.kw == p.stride_w && p.dil_h == 1 && p.dil_w == 1 && p.crop_top == 0 &&
                      p.crop_left == 0 && p.crop_bottom == 0 && p.crop_right == 0;
    const Status r = k_equals_s_refuses(Direction::fwd, g, DType::f32);
    EXPECT_EQ(r.ok(), rule) << to_repro(p) << ": " << r;
    if (!r.ok()) {
      EXPECT_EQ(r.message.rfind("k_equals_s: needs ", 0), 0u) << r;
    }
    taken += rule;
    if (rule) {
      EXPECT_EQ(emulate_ks(p, Direction::fwd, DType::f32, rng), "");
    }
  }
  EXPECT_GT(taken, 0);
  Problem p;
  p.kh = p.kw = p.stride_h = p.stride_w = 2;
  const ConvGeometry g = geometry_of(p);
  EXPECT_EQ(k_equals_s_refuses(Direction::bwd_weights, g, DType::f32), Status::Unsupported("k_equals_s: fwd and bwd_data only"));
  EXPECT_EQ(k_equals_s_refuses(Direction::fwd, g, DType::f64), Status::Unsupported("k_equals_s: dtype f64 not supported (f32, f16, bf16 only)"));
  EXPECT_FALSE(k_equals_s_refuses(Direction::fwd, g, DType::i8).ok());
  p.crop_bottom = -1;  // extends the output: H_out != H_in*kH
  EXPECT_NE(k_equals_s_refuses(Direction::fwd, geometry_of(p), DType::f32).message.find("no crop"), std::string::npos);
}

}  // namespace
}  // namespace tconv::cuda::mma
