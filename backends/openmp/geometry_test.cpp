#include "backends/openmp/geometry.h"

#include <gtest/gtest.h>

#include <set>

namespace tconv::openmp {
namespace {

TEST(Axis, RangeMatchesBruteForce) {
  for (std::int64_t in : {1, 3, 6})
    for (std::int64_t k : {1, 2, 4})
      for (std::int64_t s : {1, 2, 3})
        for (std::int64_t d : {1, 2})
          for (std::int64_t crop : {-2, 0, 1, 3}) {
            Axis a{in, 0, k, s, d, crop};
            a.out = (in - 1) * s - crop - 1 + d * (k - 1) + 1;  // crop_end = 1
            if (a.out < 1) continue;
            for (std::int64_t tap = 0; tap < k; ++tap) {
              std::vector<std::int64_t> inside;
              for (std::int64_t i = 0; i < in; ++i) {
                const std::int64_t o = i * s - crop + tap * d;
                if (o >= 0 && o < a.out) inside.push_back(i);
              }
              const Axis::Range r = a.range(tap);
              ASSERT_EQ(r.last - r.first, static_cast<std::int64_t>(inside.size()));
              if (!inside.empty()) {
                EXPECT_EQ(r.first, inside.front());
                EXPECT_EQ(r.out_first, inside.front() * s - crop + tap * d);
              }
            }
          }
}

TEST(PixelShuffle, OnlyNonOverlappingUncroppedKernels) {
  Problem p;
  p.kh = p.kw = p.stride_h = p.stride_w = 2;
  EXPECT_TRUE(is_pixel_shuffle(p));
  p.crop_bottom = 1;
  EXPECT_FALSE(is_pixel_shuffle(p));
  p.crop_bottom = 0;
  p.dil_w = 2;
  EXPECT_FALSE(is_pixel_shuffle(p));
  p.kh = p.kw = p.stride_h = p.stride_w = 1;  // 1x1: dilation is irrelevant
  EXPECT_TRUE(is_pixel_shuffle(p));
  p.stride_w = 2;  // 1x1 with stride leaves holes
  EXPECT_FALSE(is_pixel_shuffle(p));
}

TEST(PlanChunks, WholeImagesWhenTheyFitRowsOtherwise) {
  const auto cost = [](std::int64_t images, std::int64_t rows) { return static_cast<std::size_t>(images * rows * 100); };
  auto whole = plan_chunks(10, 8, 4, cost, 2500, 1 << 20);  // 3 images of 800 bytes fit
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->size(), 4u);
  EXPECT_EQ((*whole)[0].images, 3);
  EXPECT_EQ((*whole)[3].images, 1);
  EXPECT_EQ((*whole)[3].n0, 9);

  auto rows = plan_chunks(2, 8, 4, cost, 350, 1 << 20);  // 3 rows fit
  ASSERT_TRUE(rows);
  std::int64_t covered = 0;
  for (const Chunk& c : *rows) {
    EXPECT_EQ(c.images, 1);
    EXPECT_LE(c.rows, 3);
    covered += c.rows;
  }
  EXPECT_EQ(covered, 16);

  auto capped = plan_chunks(4, 8, 4, cost, 1 << 20, 64);  // the pixel cap: 2 images of 32 pixels
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->front().images, 2);

  auto none = plan_chunks(1, 8, 4, cost, 50, 1 << 20);
  EXPECT_FALSE(none);
  EXPECT_NE(none.error().find("workspace"), std::string::npos);
}

TEST(TileGemm, CoversEveryElementOnceIndependentOfThreads) {
  for (auto [groups, m, n] : {std::tuple{1, 512, 64}, {3, 9, 1000}, {256, 1, 9}, {1, 4096, 4096}, {2, 17, 33}}) {
    const auto tiles = tile_gemm(groups, m, n);
    std::int64_t area = 0;
    std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> corners;
    for (const Tile& t : tiles) {
      EXPECT_LT(t.m0, t.m1);
      EXPECT_LT(t.n0, t.n1);
      EXPECT_LE(t.m1, m);
      EXPECT_LE(t.n1, n);
      area += (t.m1 - t.m0) * (t.n1 - t.n0);
      EXPECT_TRUE(corners.insert({t.group, t.m0, t.n0}).second);
    }
    EXPECT_EQ(area, groups * m * n);
    if (m * n >= 8 * 64 * 64) {
      EXPECT_GE(tiles.size(), 8u);
    }
  }
}

}  // namespace
}  // namespace tconv::openmp
