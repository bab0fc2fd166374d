// The simt128 tiling (simt128_tile.h, simt128_block.h) on the CPU: accumulators and load quads
// partition their tiles, every shared access a warp makes is free of bank conflicts (computed,
// not claimed), and a quad's copies equal the element-wise operand definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "backends/cuda/simt128_block.h"

namespace tconv::cuda::simt128 {
namespace {

// Shared-memory model: 32 banks of 4-byte words; one wavefront serves at most one distinct word
// per bank (threads reading the same word are served together). A warp access in which every
// thread touches `words` consecutive words from its word address needs max over banks of the
// distinct words in that bank; the least possible is ceil(distinct words / 32). Conflict-free
// means the two are equal.
struct Wavefronts {
  int needed, minimum;
};
Wavefronts wavefronts(const std::vector<int>& first_word, int words) {
  std::set<int> distinct;
  for (int a : first_word)
    for (int w = 0; w < words; ++w) distinct.insert(a + w);
  std::map<int, int> per_bank;
  for (int a : distinct) ++per_bank[a % 32];
  int needed = 0;
  for (const auto& [bank, n] : per_bank) needed = std::max(needed, n);
  return {needed, static_cast<int>((distinct.size() + 31) / 32)};
}

TEST(Simt128Tile, AccumulatorsPartitionTheBlockTile) {
  std::vector<int> hits(Cfg::BM * Cfg::BN, 0);
  for (int tid = 0; tid < Cfg::THREADS; ++tid)
    for (int i = 0; i < Cfg::TM; ++i)
      for (int j = 0; j < Cfg::TN; ++j) {
        const int m = acc_m(tid, i), n = acc_n(tid, j);
        ASSERT_TRUE(m >= 0 && m < Cfg::BM && n >= 0 && n < Cfg::BN);
        ++hits[m * Cfg::BN + n];
      }
  for (int h : hits) ASSERT_EQ(h, 1);
  // load4 reads 4 consecutive accumulator rows / columns from a 16-byte aligned shared address.
  for (int tid = 0; tid < Cfg::THREADS; ++tid)
    for (int half : {0, 4})
      for (int e = 0; e < 4; ++e) {
        EXPECT_EQ(acc_m(tid, half + e), acc_m(tid, half) + e);
        EXPECT_EQ(acc_n(tid, half + e), acc_n(tid, half) + e);
        for (int k = 0; k < Cfg::BK; ++k) {
          EXPECT_EQ(smem_at(acc_m(tid, half), k) % 4, 0);
          EXPECT_EQ(smem_at(acc_n(tid, half), k) % 4, 0);
        }
      }
}

TEST(Simt128Tile, LoadQuadsPartitionAnOperandTile) {
  for (bool row_fastest : {false, true}) {
    std::vector<int> hits(Cfg::BM * Cfg::BK, 0);
    std::set<int> dst;
    for (int tid = 0; tid < Cfg::THREADS; ++tid) {
      const Quad q = load_quad(tid, row_fastest);
      for (int e = 0; e < 4; ++e) {
        const int row = q.row0 + e * q.dr, k = q.k0 + e * q.dk;
        ASSERT_TRUE(row >= 0 && row < Cfg::BM && k >= 0 && k < Cfg::BK);
        ++hits[row * Cfg::BK + k];
        dst.insert(smem_at(row, k));
      }
      if (row_fastest) {
        EXPECT_EQ(smem_at(q.row0, q.k0) % 4, 0) << "16-byte copies need an aligned destination";
      }
    }
    for (int h : hits) ASSERT_EQ(h, 1);
    EXPECT_EQ(dst.size(), static_cast<std::size_t>(Cfg::BM * Cfg::BK));
    EXPECT_LT(*dst.rbegin(), Cfg::TILE);
  }
}

TEST(Simt128Tile, ComputeReadsAreConflictFree) {
  for (int warp = 0; warp < Cfg::THREADS / 32; ++warp)
    for (int k = 0; k < Cfg::BK; ++k)
      for (int half : {0, 4}) {
        std::vector<int> a, b;
        for (int lane = 0; lane < 32; ++lane) {
          a.push_back(smem_at(acc_m(warp * 32 + lane, half), k));
          b.push_back(smem_at(acc_n(warp * 32 + lane, half), k));
        }
        const Wavefronts wa = wavefronts(a, 4), wb = wavefronts(b, 4);
        EXPECT_EQ(wa.needed, wa.minimum) << "A, warp " << warp << " k " << k;
        EXPECT_EQ(wb.needed, wb.minimum) << "B, warp " << warp << " k " << k;
        EXPECT_EQ(wa.minimum, 1);  // 8 distinct float4: 128 bytes
        EXPECT_EQ(wb.minimum, 1);  // 4 distinct float4: 64 bytes
      }
}

TEST(Simt128Tile, CopiesIntoSharedMemoryAreConflictFree) {
  for (int warp = 0; warp < Cfg::THREADS / 32; ++warp) {
    std::vector<int> vec;  // row-fastest: one 16-byte copy per thread
    for (int lane = 0; lane < 32; ++lane) {
      const Quad q = load_quad(warp * 32 + lane, true);
      vec.push_back(smem_at(q.row0, q.k0));
    }
    const Wavefronts wv = wavefronts(vec, 4);
    EXPECT_EQ(wv.needed, wv.minimum) << "warp " << warp;
    for (int e = 0; e < 4; ++e) {  // k-fastest: 4-byte copy e of every thread
      std::vector<int> words, unpadded;
      for (int lane = 0; lane < 32; ++lane) {
        const Quad q = load_quad(warp * 32 + lane, false);
        words.push_back(smem_at(q.row0, q.k0 + e));
        unpadded.push_back((q.k0 + e) * Cfg::BM + q.row0);
      }
      const Wavefronts w = wavefronts(words, 1), u = wavefronts(unpadded, 1);
      EXPECT_EQ(w.needed, w.minimum) << "warp " << warp << " copy " << e;
      // The check can fail: without the 4-float pad the two k rows of a warp share banks.
      EXPECT_GT(u.needed, u.minimum);
    }
  }
}

// quad_copy against the element-wise definition, on random row / column terms (runs of
// consecutive rows, breaks, sentinels), limits and alignments.
TEST(Simt128Tile, QuadCopiesEqualTheElementwiseOffsets) {
  std::mt19937_64 rng(7);
  auto pick = [&](i64 lo, i64 hi) { return std::uniform_int_distribution<i64>(lo, hi)(rng); };
  int vec = 0, scalar = 0;
  for (int it = 0; it < 400; ++it) {
    ATerm rows[Cfg::BM], cols[Cfg::BK];
    const i64 lim_h = pick(1, 6), lim_w = pick(1, 9), dx = pick(0, 1);
    i64 off = pick(0, 40), y = pick(-2, 7), x = pick(-3, 10);
    for (int r = 0; r < Cfg::BM; ++r) {
      if (pick(0, 9) == 0) off = pick(0, 400), y = pick(-2, 7), x = pick(-3, 10);  // a break in the run
      rows[r] = pick(0, 30) == 0 ? mma::a_row_outside() : mma::aterm(off, y, x);
      off += 1, x += dx;
    }
    for (auto& c : cols) c = pick(0, 8) == 0 ? mma::a_col_outside() : mma::aterm(pick(0, 64), pick(-3, 3), pick(-3, 3));
    for (bool row_fastest : {false, true})
      for (bool aligned : {false, true})
        for (int tid = 0; tid < Cfg::THREADS; ++tid) {
          const Quad q = load_quad(tid, row_fastest);
          const QuadCopy c = quad_copy(rows, cols, lim_h, lim_w, q, row_quad_step(rows, q), aligned);
          for (int e = 0; e < 4; ++e) {
            const i64 want = mma::a_offset(rows[q.row0 + e * q.dr], cols[q.k0 + e * q.dk], lim_h, lim_w);
            ASSERT_TRUE(c.src[e].valid || c.src[e].off == 0) << "a zero-filled copy reads offset 0";
            ASSERT_EQ(c.src[e].valid ? i64{c.src[e].off} : -1, want);
            ASSERT_EQ(c.dst[e], smem_at(q.row0 + e * q.dr, q.k0 + e * q.dk));
          }
          if (c.vec) {
            ASSERT_TRUE(aligned && row_fastest && c.src[0].off % 4 == 0);
            ++vec;
          } else {
            ++scalar;
          }
        }
  }
  EXPECT_GT(vec, 500);
  EXPECT_GT(scalar, 1000);
}

}  // namespace
}  // namespace tconv::cuda::simt128
