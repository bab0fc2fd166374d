// Kernel family v4 (phase_tc.cu) on the CPU: the tile, chunk, ldmatrix and epilogue
// coordinates of tc_tile.h checked on their own, the pipeline's stage order, and every block
// of the kernel emulated (phase_tc_emulator.h) against the oracle on random problems the
// family accepts (NHWC, channels per group multiples of 8, groups, stride 1..4, dilation,
// negative / asymmetric / output_padding crops, bias, single- and multi-tile GEMMs).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_tc.h"
#include "backends/cuda/phase_tc_emulator.h"
#include "backends/cuda/tc_test_support.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::tc {
namespace {

using mma::geometry_of;
using S = TcTile;  // the f16 / bf16 configuration unless a test says otherwise

std::string emulate(const Problem& p, Direction d, DType t, std::mt19937_64& rng, int wait_depth = -1) {
  return emulated_against_oracle(
      p, d, t, rng,
      [](Direction dd, const ConvGeometry& g, DType tt) {
        return tt == DType::f32 ? phase_tc_tf32_refuses(dd, g, tt) : phase_tc_refuses(dd, g, tt);
      },
      [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
        emulate_phase_tc(d, g, t, A, B, bias, C, wait_depth);
      });
}

void sweep(Direction d, DType t, int count, std::uint64_t seed) {
  sweep_random_tile_problems(count, seed, t == DType::f32 ? 4 : 8,
                             [&](const Problem& p, std::mt19937_64& rng) { return emulate(p, d, t, rng); });
}

// A 16 x 16 (rows x k) block of distinct values: value(row, k) identifies the element.
std::uint16_t tag(int row, int k) { return static_cast<std::uint16_t>(row * 64 + k + 1); }

TEST(PhaseTc, LdmatrixRowsDeliverTheMmaFragments) {
  // Fill every stage-0 tile with tags, run the emulated ldmatrix from each warp's row
  // addresses, and compare every register half with the PTX fragment tables (mma_frag.h).
  for (bool kn : {false, true}) {
    std::vector<std::uint16_t> smem(S::STAGE_ELEMS, 0);
    for (int row = 0; row < S::BM; ++row)
      for (int k = 0; k < S::BK; ++k) smem[stage_a(0) + smem_rk(row, k)] = tag(row, k);
    for (int n = 0; n < S::BN; ++n)
      for (int k = 0; k < S::BK; ++k) smem[stage_b(0) + (kn ? smem_kn(k, n) : smem_rk(n, k))] = tag(n, k);
    for (int warp = 0; warp < S::THREADS / 32; ++warp)
      for (int ks = 0; ks < S::BK / 16; ++ks) {
        int addr[32];
        std::uint32_t r[32][4];
        for (int mt = 0; mt < S::MT; ++mt) {
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 e = ldsm_a(warp, mt, ks, lane);
            addr[lane] = stage_a(0) + smem_rk(e.row, e.k);
          }
          emulate_ldmatrix_x4(smem, addr, false, r);
          for (int lane = 0; lane < 32; ++lane)
            for (int i = 0; i < 8; ++i) {
              const mma::RowCol f = mma::frag_a(lane, i);
              ASSERT_EQ(static_cast<std::uint16_t>(r[lane][i / 2] >> (16 * (i & 1))),
                        tag(warp_m0(warp) + mt * 16 + f.row, ks * 16 + f.col))
                  << "A warp " << warp << " mt " << mt << " lane " << lane << " i " << i;
            }
        }
        for (int np = 0; np < S::NT / 2; ++np) {
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 e = kn ? ldsm_b_kn(warp, np, ks, lane) : ldsm_b_rk(warp, np, ks, lane);
            addr[lane] = stage_b(0) + (kn ? smem_kn(e.k, e.row) : smem_rk(e.row, e.k));
          }
          emulate_ldmatrix_x4(smem, addr, kn, r);
          for (int lane = 0; lane < 32; ++lane)
            for (int half = 0; half < 2; ++half)  // n-tiles 2np, 2np + 1
              for (int i = 0; i < 4; ++i) {
                const mma::RowCol f = mma::frag_b(lane, i);  // (k, n)
                const int n = warp_n0(warp) + (2 * np + half) * 8 + f.col;
                ASSERT_EQ(static_cast<std::uint16_t>(r[lane][2 * half + i / 2] >> (16 * (i & 1))), tag(n, ks * 16 + f.row))
                    << (kn ? "B[k][n]" : "B[n][k]") << " warp " << warp << " np " << np << " lane " << lane;
              }
        }
      }
  }
}

TEST(PhaseTc, LdmatrixPhasesAreBankConflictFree) {
  // Each 8x8 matrix is one 128-byte shared-memory phase: its 8 rows must sit in 8 distinct
  // groups of 4 banks.
  auto check = [](const int (&addr)[32]) {
    for (int j = 0; j < 4; ++j) {
      std::set<int> groups;
      for (int l = 0; l < 8; ++l) groups.insert((addr[8 * j + l] * 2 / 16) % 8);
      if (groups.size() != 8) return false;
    }
    return true;
  };
  for (int warp = 0; warp < S::THREADS / 32; ++warp)
    for (int ks = 0; ks < S::BK / 16; ++ks) {
      int addr[32];
      for (int mt = 0; mt < S::MT; ++mt) {
        for (int lane = 0; lane < 32; ++lane) addr[lane] = smem_rk(ldsm_a(warp, mt, ks, lane).row, ldsm_a(warp, mt, ks, lane).k);
        EXPECT_TRUE(check(addr)) << "A warp " << warp;
      }
      for (int np = 0; np < S::NT / 2; ++np) {
        for (int lane = 0; lane < 32; ++lane) addr[lane] = smem_rk(ldsm_b_rk(warp, np, ks, lane).row, ldsm_b_rk(warp, np, ks, lane).k);
        EXPECT_TRUE(check(addr)) << "B[n][k] warp " << warp;
        for (int lane = 0; lane < 32; ++lane) addr[lane] = smem_kn(ldsm_b_kn(warp, np, ks, lane).k, ldsm_b_kn(warp, np, ks, lane).row);
        EXPECT_TRUE(check(addr)) << "B[k][n] warp " << warp;
      }
    }
}

TEST(PhaseTc, ChunksCoverEachTileOnceInsideTheirStage) {
  check_chunk_cover<TcTile>();
  check_chunk_cover<TcTf32>();
}

TEST(PhaseTc, StageOrderLandsEachStepBeforeItsComputeAndRefillsOnlyTheFinishedStage) {
  check_stage_order<TcTile>();
  check_stage_order<TcTf32>();
}

// The chunk's elements, by the direct definitions (mma_views.h): consecutive in global
// memory (or all zeros), starting where the kernel's separable offset says.
template <class S, class View>
std::string check_chunk(const View& v, const TcBlock& blk, i64 kt, bool bkn, int so, i64 go, bool is_b) {
  const mma::Part& p = blk.part;
  const int x = so - (is_b ? stage_b<S>(0) : stage_a<S>(0));
  const bool along_n = is_b && bkn;
  const int row = along_n ? x % S::LDN : x / S::LDK, k = along_n ? x / S::LDN : x % S::LDK;
  const i64 r = (is_b ? blk.n0 : blk.m0) + row, kk = kt * S::BK + k;
  if (go >= 0 && go % S::CHUNK != 0) return "chunk source not 16-byte aligned: " + std::to_string(go);
  for (int j = 0; j < S::CHUNK; ++j) {
    i64 want = -1;
    if (!is_b && r < p.m && kk + j < p.k) want = v.a_at(p, blk.gi, r, kk + j);
    if (is_b && along_n && r + j < v.n_count() && kk < p.k) want = v.b_at(p, blk.gi, kk, r + j);
    if (is_b && !along_n && r < v.n_count() && kk + j < p.k) want = v.b_at(p, blk.gi, kk + j, r);
    const i64 got = go < 0 ? -1 : go + j;
    if (got != want)
      return std::string(is_b ? "B" : "A") + " chunk at row " + std::to_string(r) + " k " + std::to_string(kk) +
             " element " + std::to_string(j) + ": " + std::to_string(got) + " != " + std::to_string(want);
  }
  return {};
}

template <class S>
void check_grid_and_chunks(DType t, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int it = 0; it < 60; ++it) {
    const Problem p = mma::in_device_formats(random_tc_problem(rng, {}, 3, S::CHUNK), t);
    const ConvGeometry g = geometry_of(p);
    auto check = [&](const auto& v, auto bkn_tag, i64 out_numel) {
      constexpr bool BKN = decltype(bkn_tag)::value;
      ASSERT_EQ(BKN, v.b_row_fastest());  // the B tile orientation follows the filter's contiguous axis
      const mma::Grid3 g3 = tc_grid(v);
      std::vector<int> hits(out_numel, 0);
      i64 last_z = 0;
      for (i64 by = 0; by < g3.y; ++by)
        for (i64 bx = 0; bx < g3.x; ++bx) {
          const TcBlock blk = tc_block(v, bx, by);
          ASSERT_GE(blk.z, 0);
          ASSERT_LT(blk.m0, blk.part.m);  // no idle block
          ASSERT_GE(blk.z, last_z);       // phases in order along x
          last_z = bx + 1 == g3.x ? 0 : blk.z;
          ASSERT_EQ(blk.gi, by);
          if (blk.n0 + S::BN < v.n_count()) {  // the next block reads the same A tile: its next N tile
            const TcBlock next = tc_block(v, bx + 1, by);
            ASSERT_EQ(next.z, blk.z);
            ASSERT_EQ(next.m0, blk.m0);
            ASSERT_EQ(next.n0, blk.n0 + S::BN);
          }
          std::vector<i64> rows(S::BM), cols(S::BN);
          for (int t = 0; t < S::THREADS; ++t) fill_c_terms(v, blk, t, rows.data(), cols.data());
          for (int w = 0; w < S::THREADS / 32; ++w)
            for (int lane = 0; lane < 32; ++lane)
              for_each_c_pair(blk, v.n_count(), rows.data(), cols.data(), w, lane,
                              [&](i64 off, int, int, int, i64 m, i64 n) {
                                ASSERT_EQ(off, v.c_at(blk.part, blk.gi, m, n));
                                ASSERT_EQ(off + 1, v.c_at(blk.part, blk.gi, m, n + 1));
                                ++hits[off];
                                ++hits[off + 1];
                              });
          const mma::KAffine kaff = mma::k_affine(v, blk.part, blk.gi, S::BK);
          for (int t = 0; t < S::THREADS; ++t) {
            const ThreadRows<S> tr = thread_rows<BKN, S>(v, blk, t);
            ThreadK<BKN, S> at = thread_k<BKN, S>(kaff, t);
            for (i64 kt = 0; kt < tiles_of(blk.part.k, S::BK); ++kt)
              for_each_chunk<BKN, S>(kaff, v, tr, at, 0, [&](int so, mma::ChunkSrc src, bool is_b) {
                ASSERT_EQ(src.valid || src.off == 0, true) << "a zero-filled chunk reads from offset 0";
                ASSERT_EQ(check_chunk<S>(v, blk, kt, BKN, so, src.valid ? static_cast<i64>(src.off) : -1, is_b), "")
                    << to_repro(p);
              });
          }
        }
      for (int h : hits) ASSERT_EQ(h, 1) << to_repro(p);
    };
    check(mma::PhaseFwdView{g}, std::true_type{}, g.n * g.c_out * g.h_out * g.w_out);
    check(mma::PhaseBwdDataView{g}, std::false_type{}, g.n * g.c_in * g.h_in * g.w_in);
  }
}

TEST(PhaseTc, GroupedGridWritesEveryOutputOnceAndEveryChunkIsContiguous) {
  check_grid_and_chunks<TcTile>(DType::f16, 41);
  check_grid_and_chunks<TcTf32>(DType::f32, 42);
}

TEST(PhaseTc, FwdF16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f16, 120, 51); }
TEST(PhaseTc, FwdBf16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::bf16, 120, 52); }
TEST(PhaseTc, BwdDataF16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f16, 120, 53); }
TEST(PhaseTc, BwdDataBf16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::bf16, 120, 54); }

// Several M and N tiles, more k-steps than stages (the ring wraps), partial last tiles.
TEST(PhaseTc, MultiTileProblemsMatchOracle) {
  std::mt19937_64 rng(55);
  const std::vector<Problem> cases = tc_multi_tile_cases(rng);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Problem& p = cases[i];
    if (i < 3) {  // the fixed ones really are multi-tile: M, N tiles and k-steps beyond the ring
      const mma::PhaseFwdView v{geometry_of(mma::in_device_formats(p, DType::f16))};
      const mma::Grid3 g3 = tc_grid(v);
      EXPECT_GT(g3.x, v.parts() * tiles_of(v.n_count(), S::BN));
      EXPECT_GT(tiles_of(v.n_count(), S::BN), 1);
      EXPECT_EQ(g3.y, p.groups);
      EXPECT_GT(tiles_of(mma::PhaseBwdDataView{v.g}.part(0).k, S::BK), S::STAGES);
    }
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      EXPECT_EQ(emulate(p, d, i % 2 ? DType::bf16 : DType::f16, rng), "") << "problem " << i;
  }
}

// Edge shapes named one by one: real-layer classes and the crops that trip index math.
TEST(PhaseTc, EdgeShapesMatchOracle) {
  std::mt19937_64 rng(56);
  const std::vector<Problem> cases = tc_edge_shapes();
  for (const Problem& p : cases)
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      for (DType t : {DType::f16, DType::bf16}) EXPECT_EQ(emulate(p, d, t, rng), "");
}

// The emulator's poisoning catches a pipeline that computes before its copies land: with one
// wait group too few (depth kWaitDepth + 1) the newest k-step is read as NaN.
TEST(PhaseTc, AWaitTooShallowIsCaught) {
  std::mt19937_64 rng(57);
  const Problem p = small_tile_problem();
  EXPECT_EQ(emulate(p, Direction::fwd, DType::f16, rng), "");
  EXPECT_NE(emulate(p, Direction::fwd, DType::f16, rng, kWaitDepth<S> + 1), "");
}

// ---- the +tf32 variant (f32 data)

TEST(PhaseTcTf32, FragmentsCoverTheirTilesOnceAndReadsAreBankConflictFree) {
  using T = TcTf32;
  int a[16][8] = {}, b[8][8] = {};
  for (int lane = 0; lane < 32; ++lane) {
    for (int i = 0; i < 4; ++i) ++a[frag_a_tf32(lane, i).row][frag_a_tf32(lane, i).col];
    for (int i = 0; i < 2; ++i) ++b[frag_b_tf32(lane, i).row][frag_b_tf32(lane, i).col];
  }
  for (auto& r : a)
    for (int h : r) ASSERT_EQ(h, 1);
  for (auto& r : b)
    for (int h : r) ASSERT_EQ(h, 1);
  // The PTX ISA's table, restated: a1 is eight rows down, a2 four columns right; b1 four k down.
  EXPECT_EQ(frag_a_tf32(5, 1).row, 9);
  EXPECT_EQ(frag_a_tf32(5, 2).col, 5);
  EXPECT_EQ(frag_b_tf32(6, 1).row, 6);
  EXPECT_EQ(frag_b_tf32(6, 1).col, 1);
  // One 32-bit load per lane and register: 32 distinct banks in every layout.
  for (int warp = 0; warp < T::THREADS / 32; ++warp)
    for (int i = 0; i < 4; ++i) {
      std::set<int> ba, bn, bk;
      for (int lane = 0; lane < 32; ++lane) {
        const Idx2 ea = tf32_a_elem(warp, 1, 2, lane, i);
        ba.insert(smem_rk<T>(ea.row, ea.k) % 32);
        const Idx2 eb = tf32_b_elem(warp, 1, 2, lane, i % 2);
        bn.insert(smem_rk<T>(eb.row, eb.k) % 32);
        bk.insert(smem_kn<T>(eb.k, eb.row) % 32);
      }
      EXPECT_EQ(ba.size(), 32u);
      EXPECT_EQ(bn.size(), 32u);
      EXPECT_EQ(bk.size(), 32u);
    }
}

float tf32_of(float x) {
  std::uint32_t b;
  std::memcpy(&b, &x, 4);
  b = tf32_round_bits(b);
  std::memcpy(&x, &b, 4);
  return x;
}

TEST(PhaseTcTf32, RoundingIsNearestTiesAwayToTenMantissaBits) {
  EXPECT_EQ(tf32_of(1.0f), 1.0f);
  EXPECT_EQ(tf32_of(1.0f + 0x1p-12f), 1.0f);               // below half an ulp (2^-10)
  EXPECT_EQ(tf32_of(1.0f + 0x1p-11f), 1.0f + 0x1p-10f);    // a tie: away from zero
  EXPECT_EQ(tf32_of(-1.0f - 0x1p-11f), -1.0f - 0x1p-10f);  // the same for negatives
  EXPECT_EQ(tf32_of(1.0f + 0x1p-11f + 0x1p-23f), 1.0f + 0x1p-10f);
  EXPECT_EQ(tf32_of(3.0f), 3.0f);
  EXPECT_TRUE(std::isinf(tf32_of(INFINITY)));
  EXPECT_TRUE(std::isnan(tf32_of(NAN)));
  EXPECT_EQ(tf32_of(0x1.fffffep127f), INFINITY);  // the largest float rounds up past the range
}

TEST(PhaseTcTf32, FwdEmulatedMatchesOracle) { sweep(Direction::fwd, DType::f32, 100, 71); }
TEST(PhaseTcTf32, BwdDataEmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f32, 100, 72); }

TEST(PhaseTcTf32, MultiTileAndEdgeShapesMatchOracle) {
  std::mt19937_64 rng(73);
  const crosscheck::RandomProblemLimits big{2, 1, 2, 12, 4, 3, 2};
  for (int i = 0; i < 4; ++i) {
    const Problem p = random_tc_problem(rng, big, 36, 4);  // up to 144 channels per group
    for (Direction d : {Direction::fwd, Direction::bwd_data}) EXPECT_EQ(emulate(p, d, DType::f32, rng), "") << i;
  }
}

// The operands really are rounded to tf32 inside the pipeline: x = 1 + 2^-11 (a tie) times
// w = 1 summed over K terms gives K * (1 + 2^-10), not K * (1 + 2^-11).
TEST(PhaseTcTf32, OperandsAreRoundedBeforeTheProduct) {
  Problem p;
  p.c_in = 8;
  p.c_out = 4;
  p.h_in = p.w_in = 3;
  p.kh = p.kw = 2;
  p.stride_h = p.stride_w = 2;  // k == s: every output has exactly c_in terms
  p.bias = false;
  p.layout = Layout::NHWC;
  p = mma::in_device_formats(p, DType::f32);
  HostTensor x(DType::f32, p.layout, p.x_dims()), w(DType::f32, p.weight_layout, p.w_dims());
  HostTensor y(DType::f32, p.layout, p.y_dims());
  for (std::int64_t i = 0; i < x.numel(); ++i) x.set(i, 1.0 + 0x1p-11);
  for (std::int64_t i = 0; i < w.numel(); ++i) w.set(i, 1.0);
  y.poison();
  emulate_phase_tc(Direction::fwd, geometry_of(p), DType::f32, x.data(), w.data(), nullptr, y.data());
  for (std::int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.get(i), 8 * (1.0 + 0x1p-10)) << i;
}

TEST(PhaseTc, RefusesWhatItDoesNotRun) {
  Problem p;
  p.c_in = 16;
  p.c_out = 8;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;
  p.stride_h = p.stride_w = 2;
  p.layout = Layout::NHWC;
  const ConvGeometry g = geometry_of(p);
  EXPECT_EQ(phase_tc_refuses(Direction::fwd, g, DType::f16), Status::Ok());
  EXPECT_EQ(phase_tc_refuses(Direction::bwd_data, g, DType::bf16), Status::Ok());
  EXPECT_EQ(phase_tc_refuses(Direction::bwd_weights, g, DType::f16), Status::Unsupported("phase_tc: fwd and bwd_data only"));
  EXPECT_EQ(phase_tc_refuses(Direction::fwd, g, DType::f32),
            Status::Unsupported("phase_tc: dtype f32 not supported (f16 and bf16 only)"));
  EXPECT_EQ(phase_tc_tf32_refuses(Direction::fwd, g, DType::f32), Status::Ok());
  EXPECT_EQ(phase_tc_tf32_refuses(Direction::bwd_data, g, DType::f16),
            Status::Unsupported("phase_tc+tf32: dtype f16 not supported (f32 data only)"));
  ConvGeometry four = g;
  four.c_in = 4;
  four.c_out = 12;  // multiples of 4: the tf32 chunk, not the f16 one
  EXPECT_EQ(phase_tc_tf32_refuses(Direction::fwd, four, DType::f32), Status::Ok());
  EXPECT_FALSE(phase_tc_refuses(Direction::fwd, four, DType::f16).ok());
  ConvGeometry nchw = g;
  nchw.nhwc = false;
  EXPECT_EQ(phase_tc_refuses(Direction::fwd, nchw, DType::f16), Status::Unsupported("phase_tc: NHWC only"));
  ConvGeometry odd = g;
  odd.c_out = 12;
  EXPECT_FALSE(phase_tc_refuses(Direction::fwd, odd, DType::f16).ok());
  odd = g;
  odd.c_in = 4;
  EXPECT_FALSE(phase_tc_refuses(Direction::bwd_data, odd, DType::f16).ok());
  ConvGeometry wide = g;
  wide.groups = 70000;
  wide.c_in = wide.c_out = 8 * 70000;  // grid y = groups > 65535
  EXPECT_NE(phase_tc_refuses(Direction::fwd, wide, DType::f16).message.find("grid"), std::string::npos);
}

// The chunk copies' offsets are 32-bit: an A operand (x for fwd, dy for bwd_data) of 2^31
// elements or more is refused, one element fewer is not.
TEST(PhaseTc, RefusesOperandsBeyondThirtyTwoBitOffsets) {
  Problem p;
  p.c_in = 1024;  // 1024 x 1448 x 1448 = 2^31 - 458,752 elements of x
  p.c_out = 8;
  p.h_in = p.w_in = 1448;
  p.kh = p.kw = 1;
  p.layout = Layout::NHWC;
  EXPECT_EQ(phase_tc_refuses(Direction::fwd, geometry_of(p), DType::f16), Status::Ok());
  p.w_in = 1449;  // 2^31 + 1,024,000
  EXPECT_EQ(phase_tc_refuses(Direction::fwd, geometry_of(p), DType::f16),
            Status::Unsupported("phase_tc: x or the filter has 2^31 elements or more (32-bit element offsets)"));
  EXPECT_EQ(phase_tc_refuses(Direction::bwd_data, geometry_of(p), DType::f16), Status::Ok()) << "dy has 8 channels";
  std::swap(p.c_in, p.c_out);
  EXPECT_EQ(phase_tc_refuses(Direction::bwd_data, geometry_of(p), DType::f16),
            Status::Unsupported("phase_tc: dy or the filter has 2^31 elements or more (32-bit element offsets)"));
}

}  // namespace
}  // namespace tconv::cuda::tc
