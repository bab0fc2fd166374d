// Index arithmetic shared by the directions: which input pixels a kernel tap maps inside the
// output along one axis, the pixel-shuffle test, the chunking of the batch under a workspace
// budget, and the fixed GEMM tile grid. Nothing here depends on the thread count, which is
// what makes the backend's results bitwise identical for any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "backends/api/problem.h"
#include "backends/api/result.h"

namespace tconv::openmp {

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

// One spatial axis of the problem: output o = i*stride - crop + tap*dil (docs/design.md section 1).
struct Axis {
  std::int64_t in = 1, out = 1, k = 1, stride = 1, dil = 1, crop = 0;

  // Inputs i in [first, last) whose tap `tap` lands inside [0, out); `out_first` is the output
  // of input `first`, later ones follow every `stride`. Empty when first >= last.
  struct Range {
    std::int64_t first = 0, last = 0, out_first = 0;
  };
  Range range(std::int64_t tap) const;
};

Axis height_axis(const Problem& p);
Axis width_axis(const Problem& p);

// k == s (with dilation 1 unless k == 1) and no crops in both axes: every output pixel comes
// from exactly one (input pixel, tap) pair, so fwd is a GEMM plus a pixel shuffle.
bool is_pixel_shuffle(const Problem& p);

// A piece of the batch processed at once: whole images, or rows of one image when a single
// image's columns do not fit the budget.
struct Chunk {
  std::int64_t n0 = 0, images = 1;  // images [n0, n0 + images)
  std::int64_t ih0 = 0, rows = 1;   // input rows [ih0, ih0 + rows) of each image
  std::int64_t pixels(std::int64_t w_in) const { return images * rows * w_in; }
};

// Splits n images of h_in rows into the largest chunks with bytes_for(images, rows) <= budget,
// and at most `max_pixels` input pixels each (a cache-friendly cap; never below one row).
// Fails with a one-line reason when not even one row fits.
Result<std::vector<Chunk>> plan_chunks(std::int64_t n, std::int64_t h_in, std::int64_t w_in,
                                       const std::function<std::size_t(std::int64_t images, std::int64_t rows)>& bytes_for,
                                       std::size_t budget, std::int64_t max_pixels);

// The chunk schedule of one direction whose workspace is `fixed` floats plus chunk_floats(c)
// for the chunk in hand (plan_chunks over those bytes), and the largest chunk's floats: the
// workspace is fixed + most_floats.
struct ChunkSchedule {
  std::vector<Chunk> chunks;
  std::size_t most_floats = 0;
};
Result<ChunkSchedule> plan_chunk_workspace(const Problem& p, std::size_t fixed,
                                           const std::function<std::size_t(const Chunk&)>& chunk_floats,
                                           std::size_t budget, std::int64_t max_pixels);

// A block [m0, m1) x [n0, n1) of the C matrix of group `group`'s GEMM.
struct Tile {
  std::int64_t group = 0, m0 = 0, m1 = 0, n0 = 0, n1 = 0;
};

// Fixed tiles over `groups` GEMMs of C[m x n]: halves the larger side (in multiples of 16,
// never below min_block) until there are at least min_tiles, so two to eight threads all find
// work and the grid never depends on how many there are.
std::vector<Tile> tile_gemm(std::int64_t groups, std::int64_t m, std::int64_t n,
                            std::int64_t min_tiles = 8, std::int64_t min_block = 64);

}  // namespace tconv::openmp
