#include "backends/openmp/geometry.h"

#include <algorithm>
#include <string>

namespace tconv::openmp {

Axis::Range Axis::range(std::int64_t tap) const {
  const std::int64_t shift = crop - tap * dil;  // o = i*stride - shift
  Range r;
  r.first = std::max<std::int64_t>(0, ceil_div(shift, stride));
  r.last = std::min<std::int64_t>(in, floor_div(out - 1 + shift, stride) + 1);
  r.out_first = r.first * stride - shift;
  if (r.last < r.first) r.last = r.first;
  return r;
}

Axis height_axis(const Problem& p) { return {p.h_in, p.h_out(), p.kh, p.stride_h, p.dil_h, p.crop_top}; }
Axis width_axis(const Problem& p) { return {p.w_in, p.w_out(), p.kw, p.stride_w, p.dil_w, p.crop_left}; }

bool is_pixel_shuffle(const Problem& p) {
  const bool h = p.kh == p.stride_h && (p.dil_h == 1 || p.kh == 1);
  const bool w = p.kw == p.stride_w && (p.dil_w == 1 || p.kw == 1);
  return h && w && p.crop_top == 0 && p.crop_bottom == 0 && p.crop_left == 0 && p.crop_right == 0;
}

Result<std::vector<Chunk>> plan_chunks(std::int64_t n, std::int64_t h_in, std::int64_t w_in,
                                       const std::function<std::size_t(std::int64_t, std::int64_t)>& bytes_for,
                                       std::size_t budget, std::int64_t max_pixels) {
  std::vector<Chunk> chunks;
  const auto fits = [&](std::int64_t images, std::int64_t rows) {
    return bytes_for(images, rows) <= budget && (images * rows * w_in <= max_pixels || (images == 1 && rows == 1));
  };
  if (fits(1, h_in)) {
    // Whole images: the most that fit (the cost grows with the count, so search downwards
    // from an estimate instead of from n).
    std::int64_t images = std::max<std::int64_t>(1, std::min(n, max_pixels / std::max<std::int64_t>(1, h_in * w_in)));
    while (images > 1 && !fits(images, h_in)) images = std::max<std::int64_t>(1, images * 3 / 4);
    while (images < n && fits(images + 1, h_in)) ++images;
    for (std::int64_t n0 = 0; n0 < n; n0 += images) chunks.push_back({n0, std::min(images, n - n0), 0, h_in});
    return chunks;
  }
  std::int64_t rows = h_in - 1;
  while (rows > 0 && !fits(1, rows)) rows = rows > 8 ? rows * 3 / 4 : rows - 1;
  if (rows == 0)
    return Result<std::vector<Chunk>>::failure(
        "workspace limit of " + std::to_string(budget) + " bytes is below the " +
        std::to_string(bytes_for(1, 1)) + " bytes one input row needs");
  for (std::int64_t img = 0; img < n; ++img)
    for (std::int64_t ih0 = 0; ih0 < h_in; ih0 += rows) chunks.push_back({img, 1, ih0, std::min(rows, h_in - ih0)});
  return chunks;
}

Result<ChunkSchedule> plan_chunk_workspace(const Problem& p, std::size_t fixed,
                                           const std::function<std::size_t(const Chunk&)>& chunk_floats,
                                           std::size_t budget, std::int64_t max_pixels) {
  auto chunks = plan_chunks(
      p.n, p.h_in, p.w_in,
      [&](std::int64_t images, std::int64_t rows) { return (fixed + chunk_floats({0, images, 0, rows})) * 4; },
      budget, max_pixels);
  if (!chunks) return Result<ChunkSchedule>::failure(chunks.error());
  ChunkSchedule s{std::move(*chunks), 0};
  for (const Chunk& c : s.chunks) s.most_floats = std::max(s.most_floats, chunk_floats(c));
  return s;
}

std::vector<Tile> tile_gemm(std::int64_t groups, std::int64_t m, std::int64_t n, std::int64_t min_tiles,
                            std::int64_t min_block) {
  const auto halve = [](std::int64_t b) { return (b / 2 + 15) / 16 * 16; };
  std::int64_t mb = m, nb = n;
  const auto count = [&] { return groups * ((m + mb - 1) / mb) * ((n + nb - 1) / nb); };
  while (count() < min_tiles) {
    if (nb >= mb && halve(nb) >= min_block && halve(nb) < nb) nb = halve(nb);
    else if (halve(mb) >= min_block && halve(mb) < mb) mb = halve(mb);
    else if (halve(nb) >= min_block && halve(nb) < nb) nb = halve(nb);
    else break;
  }
  std::vector<Tile> tiles;
  tiles.reserve(static_cast<std::size_t>(count()));
  for (std::int64_t g = 0; g < groups; ++g)
    for (std::int64_t m0 = 0; m0 < m; m0 += mb)
      for (std::int64_t n0 = 0; n0 < n; n0 += nb) tiles.push_back({g, m0, std::min(m, m0 + mb), n0, std::min(n, n0 + nb)});
  return tiles;
}

}  // namespace tconv::openmp
