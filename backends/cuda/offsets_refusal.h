// The families that copy their operands with 32-bit element offsets (mma_views.h's ChunkSrc:
// the 128 x 128 tile families and simt128) need each operand a direction reads below 2^31
// elements: then an element's offset is below 2^31, and the low 32 bits of its row and column
// terms sum to it exactly. Host only.
#pragma once

#include <cstdint>
#include <string>

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

// Empty when they fit, else why not: "x or the filter has 2^31 elements or more (...)".
inline std::string offsets_refusal(Direction d, const ConvGeometry& g) {
  const std::int64_t x = g.n * g.c_in * g.h_in * g.w_in, y = g.n * g.c_out * g.h_out * g.w_out;
  const std::int64_t w = g.c_in * g.cog() * g.kh * g.kw, limit = std::int64_t{1} << 31;
  const bool fwd = d == Direction::fwd, wgrad = d == Direction::bwd_weights;
  const std::int64_t first = fwd || wgrad ? x : y, second = wgrad ? y : w;
  if (first < limit && second < limit) return {};
  const std::string names = fwd ? "x or the filter" : wgrad ? "x or dy" : "dy or the filter";
  return names + " has 2^31 elements or more (32-bit element offsets)";
}

}  // namespace tconv::cuda
