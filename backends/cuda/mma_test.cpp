// The tiling maps (mma_tile.h) and the mma.sync fragment coordinates (mma_frag.h) on their
// own: every map covers its tile exactly once, shared-memory fragment reads are free of bank
// conflicts, and the emulated mma of packed registers is the matrix product.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "backends/api/dtype.h"
#include "backends/cuda/mma_emulator.h"
#include "backends/cuda/mma_frag.h"
#include "backends/cuda/mma_tile.h"

namespace tconv::cuda::mma {
namespace {

// counts[r][c] over `rows` x `cols` from f(lane, i) for 32 lanes x `per_lane` elements.
template <class F>
std::vector<int> lane_cover(int rows, int cols, int per_lane, F f) {
  std::vector<int> counts(rows * cols, 0);
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < per_lane; ++i) {
      const RowCol rc = f(lane, i);
      EXPECT_TRUE(rc.row >= 0 && rc.row < rows && rc.col >= 0 && rc.col < cols) << lane << " " << i;
      if (rc.row >= 0 && rc.row < rows && rc.col >= 0 && rc.col < cols) ++counts[rc.row * cols + rc.col];
    }
  return counts;
}

TEST(MmaFragments, EachCoversItsTileExactlyOnce) {
  for (int c : lane_cover(16, 16, 8, frag_a)) EXPECT_EQ(c, 1);
  for (int c : lane_cover(16, 8, 4, frag_b)) EXPECT_EQ(c, 1);
  for (int c : lane_cover(16, 8, 4, frag_c)) EXPECT_EQ(c, 1);
}

// The PTX ISA's tables restated independently: A's registers 0..3 hold k 0..7 and 4..7 hold
// k 8..15; within each, the odd pair is 8 rows down; B's registers split k the same way.
TEST(MmaFragments, MatchTheDocumentedFormulas) {
  for (int lane = 0; lane < 32; ++lane) {
    const int group = lane / 4, tig = lane % 4;
    for (int i = 0; i < 8; ++i) {
      const int row = (i == 2 || i == 3 || i == 6 || i == 7) ? group + 8 : group;
      const int col = i < 4 ? tig * 2 + (i & 1) : tig * 2 + (i & 1) + 8;
      EXPECT_EQ(frag_a(lane, i).row, row);
      EXPECT_EQ(frag_a(lane, i).col, col);
    }
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(frag_b(lane, i).row, i < 2 ? tig * 2 + (i & 1) : tig * 2 + (i & 1) + 8);
      EXPECT_EQ(frag_b(lane, i).col, group);
      EXPECT_EQ(frag_c(lane, i).row, i < 2 ? group : group + 8);
      EXPECT_EQ(frag_c(lane, i).col, tig * 2 + (i & 1));
    }
  }
}

TEST(MmaFragments, DocumentedSpotValues) {
  // PTX ISA: lane 5 is groupID 1, threadID_in_group 1.
  EXPECT_EQ(frag_a(5, 0).row, 1);
  EXPECT_EQ(frag_a(5, 0).col, 2);
  EXPECT_EQ(frag_a(5, 3).row, 9);   // a2, a3: groupID + 8
  EXPECT_EQ(frag_a(5, 3).col, 3);
  EXPECT_EQ(frag_a(5, 4).row, 1);   // a4, a5: columns + 8
  EXPECT_EQ(frag_a(5, 4).col, 10);
  EXPECT_EQ(frag_b(5, 1).row, 3);   // k = 2*tig + 1
  EXPECT_EQ(frag_b(5, 1).col, 1);   // n = groupID
  EXPECT_EQ(frag_b(5, 2).row, 10);
  EXPECT_EQ(frag_c(31, 3).row, 15);
  EXPECT_EQ(frag_c(31, 3).col, 7);
}

template <int ROWS, int BK, int THREADS>
void expect_load_slots_cover(bool row_fastest) {
  std::vector<int> counts(ROWS * BK, 0);
  for (int tid = 0; tid < THREADS; ++tid)
    for (int i = 0; i < ROWS * BK / THREADS; ++i) {
      const Idx2 e = load_slot<ROWS, BK, THREADS>(tid, i, row_fastest);
      ASSERT_TRUE(e.row >= 0 && e.row < ROWS && e.k >= 0 && e.k < BK);
      ++counts[e.row * BK + e.k];
    }
  for (int c : counts) EXPECT_EQ(c, 1);
  // Coalescing: consecutive threads take consecutive elements along the chosen axis.
  const Idx2 a = load_slot<ROWS, BK, THREADS>(0, 0, row_fastest), b = load_slot<ROWS, BK, THREADS>(1, 0, row_fastest);
  EXPECT_EQ(row_fastest ? b.row - a.row : b.k - a.k, 1);
}

TEST(MmaTiles, LoadSlotsCoverEachOperandTileOnce) {
  for (bool rf : {false, true}) {
    expect_load_slots_cover<SimtTile::BM, SimtTile::BK, SimtTile::THREADS>(rf);
    expect_load_slots_cover<SimtTile::BN, SimtTile::BK, SimtTile::THREADS>(rf);
    expect_load_slots_cover<MmaTile::BM, MmaTile::BK, MmaTile::THREADS>(rf);
    expect_load_slots_cover<MmaTile::BN, MmaTile::BK, MmaTile::THREADS>(rf);
  }
}

TEST(MmaTiles, SharedOffsetsAreDistinctAndInBounds) {
  std::set<int> simt, mma;
  for (int r = 0; r < 64; ++r)
    for (int k = 0; k < SimtTile::BK; ++k) simt.insert(simt_smem(r, k, 64));
  for (int r = 0; r < 64; ++r)
    for (int k = 0; k < MmaTile::BK; ++k) mma.insert(mma_smem(r, k));
  EXPECT_EQ(simt.size(), 64u * SimtTile::BK);
  EXPECT_EQ(*simt.rbegin(), 64 * SimtTile::BK - 1);
  EXPECT_EQ(mma.size(), 64u * MmaTile::BK);
  EXPECT_LT(*mma.rbegin(), 64 * MmaTile::LD);
}

TEST(MmaTiles, SimtAccumulatorsCoverTheBlockTileOnce) {
  for (bool c_mf : {false, true}) {
    std::vector<int> counts(64 * 64, 0);
    for (int tid = 0; tid < SimtTile::THREADS; ++tid)
      for (int i = 0; i < SimtTile::TM; ++i)
        for (int j = 0; j < SimtTile::TN; ++j) ++counts[simt_m(tid, i, c_mf) * 64 + simt_n(tid, j, c_mf)];
    for (int c : counts) EXPECT_EQ(c, 1);
    // Consecutive threads store consecutive m (NCHW output) or n (NHWC).
    EXPECT_EQ(c_mf ? simt_m(1, 0, c_mf) - simt_m(0, 0, c_mf) : simt_n(1, 0, c_mf) - simt_n(0, 0, c_mf), 1);
  }
}

TEST(MmaTiles, WarpFragmentsCoverTheBlockTileOnce) {
  std::vector<int> c_counts(64 * 64, 0), a_counts(64 * MmaTile::BK, 0), b_counts(64 * MmaTile::BK, 0);
  for (int warp = 0; warp < 4; ++warp)
    for (int lane = 0; lane < 32; ++lane) {
      for (int mt = 0; mt < MmaTile::MT; ++mt)
        for (int nt = 0; nt < MmaTile::NT; ++nt)
          for (int i = 0; i < 4; ++i) {
            const Idx2 e = mma_c_elem(warp, mt, nt, lane, i);
            ++c_counts[e.row * 64 + e.k];
          }
      // Per warp, A covers its 32 rows x BK and B its 32 columns x BK; over the 2x2 warps each
      // A row (B column) is read by the 2 warps that share it.
      for (int ks = 0; ks < MmaTile::BK / 16; ++ks) {
        for (int mt = 0; mt < MmaTile::MT; ++mt)
          for (int i = 0; i < 8; ++i) {
            const Idx2 e = mma_a_elem(warp, mt, ks, lane, i);
            ++a_counts[e.row * MmaTile::BK + e.k];
          }
        for (int nt = 0; nt < MmaTile::NT; ++nt)
          for (int i = 0; i < 4; ++i) {
            const Idx2 e = mma_b_elem(warp, nt, ks, lane, i);
            ++b_counts[e.row * MmaTile::BK + e.k];
          }
      }
    }
  for (int c : c_counts) EXPECT_EQ(c, 1);
  for (int c : a_counts) EXPECT_EQ(c, 2);
  for (int c : b_counts) EXPECT_EQ(c, 2);
}

TEST(MmaTiles, FragmentRegisterReadsAreBankConflictFree) {
  // A register read is one 32-bit word per lane; the 32 lanes must hit 32 distinct banks.
  for (int warp = 0; warp < 4; ++warp)
    for (int ks = 0; ks < MmaTile::BK / 16; ++ks) {
      for (int mt = 0; mt < MmaTile::MT; ++mt)
        for (int r = 0; r < 4; ++r) {
          std::set<int> banks;
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 lo = mma_a_elem(warp, mt, ks, lane, 2 * r), hi = mma_a_elem(warp, mt, ks, lane, 2 * r + 1);
            ASSERT_EQ(mma_smem(hi.row, hi.k), mma_smem(lo.row, lo.k) + 1);  // one aligned word
            ASSERT_EQ(mma_smem(lo.row, lo.k) % 2, 0);
            banks.insert(mma_smem(lo.row, lo.k) / 2 % 32);
          }
          EXPECT_EQ(banks.size(), 32u);
        }
      for (int nt = 0; nt < MmaTile::NT; ++nt)
        for (int r = 0; r < 2; ++r) {
          std::set<int> banks;
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 lo = mma_b_elem(warp, nt, ks, lane, 2 * r), hi = mma_b_elem(warp, nt, ks, lane, 2 * r + 1);
            ASSERT_EQ(mma_smem(hi.row, hi.k), mma_smem(lo.row, lo.k) + 1);
            banks.insert(mma_smem(lo.row, lo.k) / 2 % 32);
          }
          EXPECT_EQ(banks.size(), 32u);
        }
    }
}

TEST(MmaEmulation, PackedRegistersMultiplyToTheMatrixProduct) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> v(-4, 4);
  for (DType t : {DType::f16, DType::bf16}) {
    // Random 64 x BK A and 64 x BK B (n-major) tiles in shared layout; warp 3's (mt=1, nt=2).
    std::vector<std::uint16_t> As(64 * MmaTile::LD), Bs(64 * MmaTile::LD);
    std::vector<int> a_val(64 * MmaTile::BK), b_val(64 * MmaTile::BK);
    for (int r = 0; r < 64; ++r)
      for (int k = 0; k < MmaTile::BK; ++k) {
        a_val[r * MmaTile::BK + k] = v(rng);
        b_val[r * MmaTile::BK + k] = v(rng);
        const auto bits = [&](int x) { return t == DType::f16 ? float_to_half_bits(x) : float_to_bf16_bits(x); };
        As[mma_smem(r, k)] = bits(a_val[r * MmaTile::BK + k]);
        Bs[mma_smem(r, k)] = bits(b_val[r * MmaTile::BK + k]);
      }
    const int warp = 3, mt = 1, nt = 2;
    float d[32][4] = {};
    for (int ks = 0; ks < MmaTile::BK / 16; ++ks) {
      std::uint32_t a[32][4], b[32][2];
      for (int lane = 0; lane < 32; ++lane) {
        for (int r = 0; r < 4; ++r) a[lane][r] = a_reg(As.data(), warp, mt, ks, lane, r);
        for (int r = 0; r < 2; ++r) b[lane][r] = b_reg(Bs.data(), warp, nt, ks, lane, r);
      }
      emulate_mma_16816(t, d, a, b);
    }
    for (int lane = 0; lane < 32; ++lane)
      for (int i = 0; i < 4; ++i) {
        const Idx2 e = mma_c_elem(warp, mt, nt, lane, i);
        int want = 0;
        for (int k = 0; k < MmaTile::BK; ++k) want += a_val[e.row * MmaTile::BK + k] * b_val[e.k * MmaTile::BK + k];
        EXPECT_EQ(d[lane][i], static_cast<float>(want)) << "lane " << lane << " i " << i;
      }
  }
}

}  // namespace
}  // namespace tconv::cuda::mma
