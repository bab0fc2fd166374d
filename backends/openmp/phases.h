// dy split into its stride phases, for the direct gradient paths (backward_data_direct.cpp,
// backward_weights_direct.cpp): phase (a, b) of a dy channel holds dy[s*i + a][s*j + b], zero
// where dy has no such pixel, on rows padded to the width Wp that every tap needs. Tap
// (kh, kw) of input pixel (ih, iw) then reads phase (a(kh), b(kw)) at padded pixel
// (ih + shift(kh) - low, iw + shift(kw) - low): for a fixed tap, a shifted view of one plane,
// contiguous along the padded pixels t = ih * Wp + iw.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/openmp/geometry.h"

namespace tconv::openmp {

// Padded pixel counts are rounded up to whole tiles of this many.
constexpr std::int64_t kPhaseTile = 32;

// One axis's phase split: tap k reads phase phase[k] at offset shift[k] - low of the padded
// phase rows, which run over [low, in + high).
struct PhaseAxis {
  std::int64_t stride = 1, low = 0, padded = 0;
  std::vector<std::int64_t> phase, shift;
};

struct PhaseGeometry {
  PhaseAxis h, w;
  std::int64_t plane = 0;          // floats of one phase plane (padded rows x Wp)
  std::int64_t per_channel = 0;    // all phases of one dy channel
  std::int64_t pixels = 0;         // h_in * Wp padded input pixels
  std::int64_t padded_pixels = 0;  // rounded up to whole kPhaseTile tiles

  // Offset of tap (kh, kw) within the phases of one channel.
  std::int64_t tap_offset(std::int64_t kh, std::int64_t kw) const;
};

PhaseGeometry phase_geometry(const Problem& p);

// Phases of dy channel (n, co) (NCHW): out[a][b][i][j].
void split_phases(const Problem& p, const PhaseGeometry& g, const float* dy_plane, float* out);
// Phases of dy image n (NHWC): out[a][b][i][j][c].
void split_phases_nhwc(const Problem& p, const PhaseGeometry& g, const float* dy_image, float* out);

}  // namespace tconv::openmp
