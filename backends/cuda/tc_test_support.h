// Shared by the tile families' CPU tests (phase_tc_test.cpp, phase_wgmma_test.cpp): random
// problems the 128 x 128 tile families accept, and the checks of a tile configuration's chunk
// cover and stage order (tc_tile.h's maps with the configuration's own layouts).
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/tc_tile.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::tc {

inline std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// A random problem of random_problem's shape classes (crops, dilation, strides, groups),
// made acceptable to phase_tc: NHWC, C_in/g and C_out/g multiples of 8 (up to 8 * max_blocks).
// chunk: the channel multiple (8 for f16/bf16, 4 for f32 data).
inline Problem random_tc_problem(std::mt19937_64& rng, const crosscheck::RandomProblemLimits& lim,
                                 std::int64_t max_blocks, std::int64_t chunk = 8) {
  Problem p = crosscheck::random_problem(rng, lim);
  p.layout = Layout::NHWC;
  p.c_in = p.groups * chunk * pick(rng, 1, max_blocks);
  p.c_out = p.groups * chunk * pick(rng, 1, max_blocks);
  return p;
}

// A tile family's emulation of p against the oracle: "" when exact, else why (a refusal
// included). refuses(d, g, t) is the family's refusal on the device formats' geometry;
// emulate(g, A, B, bias, C) its emulated launch.
template <class Refuses, class Emulate>
std::string emulated_against_oracle(const Problem& p, Direction d, DType t, std::mt19937_64& rng, Refuses&& refuses,
                                    Emulate&& emulate) {
  const Status refusal = refuses(d, mma::geometry_of(mma::in_device_formats(p, t)), t);
  if (!refusal.ok()) return "refused: " + refusal.message + " " + to_repro(p);
  return mma::check_against_oracle(p, d, t, rng, emulate);
}

// `count` random problems of random_tc_problem (channels in multiples of `chunk`) through
// check(p, rng) -> "" or why; stops after 5 failures.
template <class Check>
void sweep_random_tile_problems(int count, std::uint64_t seed, std::int64_t chunk, Check&& check) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int i = 0; i < count && failures < 5; ++i) {
    const Problem p = random_tc_problem(rng, {}, 3, chunk);
    const std::string why = check(p, rng);
    if (!why.empty()) ++failures;
    EXPECT_EQ(why, "") << "problem " << i;
  }
}

// Several M and N tiles, more k-steps than stages (the ring wraps), partial last tiles: three
// fixed problems (the first three: multi-tile by construction), three random ones with up to
// 144 channels per group.
inline std::vector<Problem> tc_multi_tile_cases(std::mt19937_64& rng) {
  std::vector<Problem> cases;
  for (int i = 0; i < 3; ++i) {
    Problem p;
    p.n = 2;
    p.groups = 1 + i % 2;
    p.c_in = p.groups * (i == 2 ? 48 : 136);  // K up to 9 taps x 136: many k-steps
    p.c_out = p.groups * (i == 1 ? 144 : 136);
    p.h_in = 9 + i;
    p.w_in = 11;
    p.kh = p.kw = 3;
    p.stride_h = p.stride_w = 2;
    p.crop_top = p.crop_left = 1;
    p.crop_bottom = p.crop_right = i == 0 ? 0 : 1;
    p.layout = Layout::NHWC;
    cases.push_back(p);
  }
  const crosscheck::RandomProblemLimits big{2, 1, 2, 12, 4, 3, 2};
  for (int i = 0; i < 3; ++i) cases.push_back(random_tc_problem(rng, big, 18));  // up to 144 channels per group
  return cases;
}

// Edge shapes named one by one: real-layer classes and the crops that trip index math.
inline std::vector<Problem> tc_edge_shapes() {
  auto make = [](std::int64_t ci, std::int64_t co, std::int64_t g, std::int64_t h, std::int64_t w, std::int64_t k,
                 std::int64_t s, std::int64_t d, std::int64_t ct, std::int64_t cb, std::int64_t cl, std::int64_t cr) {
    Problem p;
    p.n = 2;
    p.c_in = ci;
    p.c_out = co;
    p.groups = g;
    p.h_in = h;
    p.w_in = w;
    p.kh = p.kw = k;
    p.stride_h = p.stride_w = s;
    p.dil_h = p.dil_w = d;
    p.crop_top = ct;
    p.crop_bottom = cb;
    p.crop_left = cl;
    p.crop_right = cr;
    p.layout = Layout::NHWC;
    return p;
  };
  return {
      make(16, 8, 1, 5, 3, 2, 2, 1, 0, 0, 0, 0),     // U-Net k2 s2 (k == s: one tap per phase)
      make(16, 16, 1, 4, 5, 4, 2, 1, 1, 1, 1, 1),    // DCGAN k4 s2 p1
      make(8, 16, 1, 5, 5, 3, 2, 1, 1, 0, 1, 0),     // k3 s2 p1 output_padding 1
      make(16, 16, 2, 3, 4, 3, 3, 2, -2, 1, 0, -1),  // groups, dilation, negative crops
      make(8, 8, 1, 3, 3, 1, 4, 1, 0, 0, 0, 0),      // phases without taps: bias only
      make(24, 8, 1, 7, 1, 5, 3, 1, 2, 2, 2, 2),     // odd sizes, W = 1
  };
}

// The multi-tile cases (the first walks more k-steps than Cfg has stages: the ring wraps) and
// the edge shapes, both directions, f16 and bf16 by turns, through check(p, d, t) -> "" or why.
template <class Cfg, class Check>
void check_multi_tile_and_edge_shapes(std::mt19937_64& rng, Check&& check) {
  std::vector<Problem> cases = tc_multi_tile_cases(rng);
  const mma::PhaseBwdDataView first{mma::geometry_of(mma::in_device_formats(cases[0], DType::f16))};
  EXPECT_GT(tiles_of(first.part(0).k, Cfg::BK), Cfg::STAGES) << "the ring of stages wraps";
  for (const Problem& p : tc_edge_shapes()) cases.push_back(p);
  for (std::size_t i = 0; i < cases.size(); ++i)
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      EXPECT_EQ(check(cases[i], d, i % 2 ? DType::bf16 : DType::f16), "") << "problem " << i;
}

// One small problem every tile family accepts: 16 channels, k3 s2, NHWC.
inline Problem small_tile_problem() {
  Problem p;
  p.c_in = p.c_out = 16;
  p.h_in = p.w_in = 4;
  p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  p.layout = Layout::NHWC;
  return p;
}

// Every chunk of a stage once, inside the stage, 16-byte aligned and contiguous in the
// configuration's layout (the copy writes 8 consecutive elements).
template <class S>
void check_chunk_cover() {
  std::vector<int> a(S::BM * S::BK, 0), b_rk(S::BN * S::BK, 0), b_kn(S::BN * S::BK, 0);
  std::vector<int> a_slots(S::A_ELEMS, 0), b_kn_slots(S::B_ELEMS, 0);  // no two elements share a slot
  for (int tid = 0; tid < S::THREADS; ++tid) {
    for (int i = 0; i < S::A_CHUNKS; ++i) {
      const Idx2 e = rk_chunk<S>(tid, i);
      ASSERT_EQ(e.k, rk_chunk<S>(tid, 0).k);  // one column term per thread and k-step
      ASSERT_EQ(e.k % S::CHUNK, 0);
      for (int j = 0; j < S::CHUNK; ++j) {
        ++a[e.row * S::BK + e.k + j];
        ASSERT_EQ(smem_rk<S>(e.row, e.k + j), smem_rk<S>(e.row, e.k) + j) << "a chunk is contiguous in shared memory";
        ++a_slots[smem_rk<S>(e.row, e.k + j)];
      }
      ASSERT_LE(smem_rk<S>(e.row, e.k) + S::CHUNK, S::A_ELEMS);
      ASSERT_LE(smem_kn<S>(e.k, e.row) + S::CHUNK, S::B_ELEMS);
    }
    for (int i = 0; i < S::B_CHUNKS; ++i) {
      const Idx2 r = rk_chunk<S>(tid, i), c = kn_chunk<S>(tid, i);
      for (int j = 0; j < S::CHUNK; ++j) ++b_rk[r.row * S::BK + r.k + j];
      ASSERT_EQ(c.row % S::CHUNK, 0);
      ASSERT_EQ(c.k, kn_chunk<S>(tid, 0).k);  // one B column term per thread and k-step
      for (int j = 0; j < S::CHUNK; ++j) {
        ++b_kn[(c.row + j) * S::BK + c.k];
        ASSERT_EQ(smem_kn<S>(c.k, c.row + j), smem_kn<S>(c.k, c.row) + j) << "a chunk is contiguous in shared memory";
        ++b_kn_slots[smem_kn<S>(c.k, c.row + j)];
      }
      ASSERT_LE(smem_kn<S>(c.k, c.row) + S::CHUNK, S::B_ELEMS);
      ASSERT_EQ(smem_kn<S>(c.k, c.row) % S::CHUNK, 0);
    }
  }
  for (int h : a) ASSERT_EQ(h, 1);
  for (int h : b_rk) ASSERT_EQ(h, 1);
  for (int h : b_kn) ASSERT_EQ(h, 1);
  for (int h : a_slots) ASSERT_LE(h, 1);
  for (int h : b_kn_slots) ASSERT_LE(h, 1);
  EXPECT_EQ(stage_b<S>(0), S::A_ELEMS);
  EXPECT_EQ(stage_a<S>(1), S::A_ELEMS + S::B_ELEMS);
  EXPECT_LE(S::SMEM_BYTES, 227 * 1024);  // Hopper's opt-in limit per block
}

template <class S>
void check_stage_order() {
  // Commit groups: one per prologue step (k-steps 0 .. kLookahead - 1), then one per main-loop
  // step (k-step kt + kLookahead). At step kt, wait_group(kWaitDepth<S>) lands groups
  // < committed - depth.
  for (i64 steps = 1; steps < 12; ++steps)
    for (i64 kt = 0; kt < steps; ++kt) {
      const i64 committed = kLookahead<S> + kt;
      ASSERT_LT(kt, committed - kWaitDepth<S>) << "k-step " << kt << " not landed when computed";
      // The stage refilled at step kt is the one retired at the barrier (computed at
      // kt - 1 - MMA_IN_FLIGHT), never one whose multiply may still run (kt - MMA_IN_FLIGHT .. kt)
      // or whose loads are pending (.. the refill's own k-step).
      const i64 refill = refill_step<S>(kt);
      for (i64 live = kt - S::MMA_IN_FLIGHT; live < refill; ++live) {
        if (live >= 0) {
          ASSERT_NE(stage_of<S>(refill), stage_of<S>(live));
        }
      }
      if (kt > S::MMA_IN_FLIGHT) {
        ASSERT_EQ(stage_of<S>(refill), stage_of<S>(kt - 1 - S::MMA_IN_FLIGHT));
      }
    }
}

}  // namespace tconv::cuda::tc
