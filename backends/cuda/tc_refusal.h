// The shape rule of the 128 x 128 tile families (phase_tc, phase_tc+tf32, phase_wgmma,
// phase_wgmma_ws): fwd / bwd_data, NHWC, channels per group in whole 16-byte chunks, K within
// the K walk's 32 bits, A and the filter within the chunk copies' 32-bit offsets, the grouped
// grid within CUDA's limits and pixel coordinates within ATerm's. Host only.
#pragma once

#include <string>

#include "backends/cuda/kernel_api.h"
#include "backends/cuda/offsets_refusal.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda::tc {

// `family` names the refusing family; `chunk` = elements per 16-byte copy.
inline Status tile_refusal(const char* family, Direction d, const ConvGeometry& g, int chunk) {
  if (d != Direction::fwd && d != Direction::bwd_data) return Status::Unsupported(std::string(family) + ": fwd and bwd_data only");
  if (!g.nhwc) return Status::Unsupported(std::string(family) + ": NHWC only");
  if (g.cig() % chunk != 0 || g.cog() % chunk != 0)
    return Status::Unsupported(std::string(family) + ": needs C_in/g and C_out/g multiples of " + std::to_string(chunk) +
                               " (16-byte channel chunks)");
  // The K walk (k_cursor.h) counts in 32 bits.
  if (g.kh * g.kw * (g.cig() > g.cog() ? g.cig() : g.cog()) > (std::int64_t{1} << 30))
    return Status::Unsupported(std::string(family) + ": K (taps x channels per group) above 2^30");
  // The chunk copies address A and B with 32-bit element offsets (mma_views.h, ChunkSrc).
  if (const std::string why = offsets_refusal(d, g); !why.empty())
    return Status::Unsupported(std::string(family) + ": " + why);
  const mma::Grid3 g3 = d == Direction::fwd ? tc_grid(mma::PhaseFwdView{g}) : tc_grid(mma::PhaseBwdDataView{g});
  const std::string why = mma::limits_refusal(g3, g);
  return why.empty() ? Status::Ok() : Status::Unsupported(std::string(family) + ": " + why);
}

}  // namespace tconv::cuda::tc
