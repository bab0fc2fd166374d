// Kernel family v2 (phase_gemm.cu) on the CPU: the stride-phase decomposition against brute
// force, and every block of the kernel emulated (mma_emulator.h) against the oracle on random
// problems of every parameter (groups incl. depthwise, dilation, asymmetric and negative
// crops, output_padding, both layouts, f32 / f16 / bf16, partial tiles and multi-tile GEMMs).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_gemm.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::mma {
namespace {

std::string emulate_phase(const Problem& p, Direction d, DType t, std::mt19937_64& rng) {
  return check_against_oracle(p, d, t, rng, [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
    emulate_phase_gemm(d, g, t, A, B, bias, C);
  });
}

void sweep(Direction d, DType t, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int i = 0; i < count && failures < 5; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const std::string why = emulate_phase(p, d, t, rng);
    if (!why.empty()) ++failures;
    EXPECT_EQ(why, "") << "problem " << i;
  }
}

TEST(PhaseGemm, AxisPhaseMatchesBruteForce) {
  std::mt19937_64 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int it = 0; it < 3000; ++it) {
    const i64 stride = pick(1, 5), dil = pick(1, 4), taps = pick(1, 6), out = pick(1, 20), pad = pick(-4, 6);
    std::vector<int> seen(out, 0);
    for (i64 ph = 0; ph < stride; ++ph) {
      const AxisPhase a = axis_phase(ph, pad, stride, dil, taps, out);
      for (i64 j = 0; j < a.count; ++j) {
        const i64 o = a.o0 + j * stride;
        ASSERT_TRUE(o >= 0 && o < out);
        ASSERT_EQ(floor_mod(o + pad, stride), ph);
        ++seen[o];
        // Its taps are exactly those t with (o + pad - t*dil) divisible by stride.
        std::vector<i64> want, got;
        for (i64 t = 0; t < taps; ++t)
          if (floor_mod(o + pad - t * dil, stride) == 0) want.push_back(t);
        for (i64 n = 0; n < a.nt; ++n) got.push_back(a.t0 + n * a.tstep);
        ASSERT_EQ(got, want) << "stride " << stride << " dil " << dil << " taps " << taps << " pad " << pad;
      }
    }
    for (int s : seen) ASSERT_EQ(s, 1);  // the phases partition the outputs
  }
}

TEST(PhaseGemm, EveryOutputElementIsOwnedByExactlyOneBlockThread) {
  std::mt19937_64 rng(12);
  for (int it = 0; it < 300; ++it) {
    const Problem p = in_device_formats(crosscheck::random_problem(rng), DType::f32);
    const ConvGeometry g = geometry_of(p);
    for (Direction d : {Direction::fwd, Direction::bwd_data}) {
      std::vector<int> hits(d == Direction::fwd ? g.n * g.c_out * g.h_out * g.w_out : g.n * g.c_in * g.h_in * g.w_in, 0);
      auto cover = [&](const auto& v) {
        const Grid3 g3 = view_grid(v);
        for (i64 bz = 0; bz < g3.z; ++bz)
          for (i64 by = 0; by < g3.y; ++by)
            for (i64 bx = 0; bx < g3.x; ++bx) {
              const BlockPos bp = block_pos(v, bx, by, bz);
              const Part part = v.part(bz);
              for (i64 m = bp.m0; m < bp.m0 + kTileM && m < part.m; ++m)
                for (i64 n = bp.n0; n < bp.n0 + kTileN && n < v.n_count(); ++n) ++hits[v.c_at(part, bp.gi, m, n)];
            }
      };
      if (d == Direction::fwd)
        cover(PhaseFwdView{g});
      else
        cover(PhaseBwdDataView{g});
      for (int h : hits) ASSERT_EQ(h, 1) << to_repro(p);
    }
  }
}

TEST(PhaseGemm, SeparableOffsetsEqualTheDirectDefinitions) {
  std::mt19937_64 rng(13);
  for (int it = 0; it < 400; ++it) {
    const Problem p = in_device_formats(crosscheck::random_problem(rng), DType::f32);
    EXPECT_EQ(check_separable(PhaseFwdView{geometry_of(p)}), "") << to_repro(p);
    EXPECT_EQ(check_separable(PhaseBwdDataView{geometry_of(p)}), "") << to_repro(p);
  }
}

TEST(PhaseGemm, FwdF32EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f32, 700, 21); }
TEST(PhaseGemm, BwdDataF32EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f32, 700, 22); }
TEST(PhaseGemm, FwdF16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f16, 200, 23); }
TEST(PhaseGemm, FwdBf16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::bf16, 200, 24); }
TEST(PhaseGemm, BwdDataF16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f16, 200, 25); }
TEST(PhaseGemm, BwdDataBf16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::bf16, 200, 26); }

// GEMMs larger than one block in M, N and K (several k-steps, partial last tiles).
TEST(PhaseGemm, MultiTileProblemsMatchOracle) {
  std::mt19937_64 rng(27);
  // n <= 1, up to 70 channels per group, groups <= 2, spatial <= 9, kernel <= 3, stride <= 3.
  const crosscheck::RandomProblemLimits big{1, 70, 2, 9, 3, 3, 2};
  for (int i = 0; i < 8; ++i) {
    const Problem p = crosscheck::random_problem(rng, big);
    for (DType t : {DType::f32, DType::f16})
      for (Direction d : {Direction::fwd, Direction::bwd_data}) EXPECT_EQ(emulate_phase(p, d, t, rng), "");
  }
}

TEST(PhaseGemm, RefusesWhatItDoesNotRun) {
  Problem p;
  p.c_in = 4;
  p.c_out = 6;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  const ConvGeometry g = geometry_of(p);
  EXPECT_EQ(phase_gemm_refuses(Direction::fwd, g, DType::f32), Status::Ok());
  EXPECT_EQ(phase_gemm_refuses(Direction::bwd_data, g, DType::bf16), Status::Ok());
  EXPECT_EQ(phase_gemm_refuses(Direction::bwd_weights, g, DType::f32), Status::Unsupported("phase_gemm: fwd and bwd_data only"));
  EXPECT_EQ(phase_gemm_refuses(Direction::bwd_bias, g, DType::f32), Status::Unsupported("phase_gemm: fwd and bwd_data only"));
  EXPECT_EQ(phase_gemm_refuses(Direction::fwd, g, DType::f64), Status::Unsupported("phase_gemm: dtype f64 not supported (f32, f16, bf16 only)"));
  EXPECT_FALSE(phase_gemm_refuses(Direction::fwd, g, DType::i8).ok());
  ConvGeometry wide = g;
  wide.groups = wide.c_in = wide.c_out = 70000;  // grid y = groups * N tiles > 65535
  EXPECT_NE(phase_gemm_refuses(Direction::fwd, wide, DType::f32).message.find("grid"), std::string::npos);
}

}  // namespace
}  // namespace tconv::cuda::mma
