// Which output elements a sampled check computes (tconv run --check sample:N): the places
// where indexing bugs live, then random ones.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/api/problem.h"

namespace tconv {

// Flat logical indices (ascending, distinct) into direction d's output, of dims (A, B, H, W):
//   - the 4 corners of every (a, b) plane with a or b first or last (the edges of the tensor);
//   - every element of the border rows and columns of the planes (first a, first b) and
//     (last a, last b);
//   - fwd: for every stride phase (oh % s_h, ow % s_w), the element of that phase nearest the
//     centre of those two planes;
//   - then uniformly random elements (seeded) until there are `count` in all.
// The structural part is kept even when it exceeds `count`; every element when the output
// has no more than `count`.
std::vector<std::int64_t> sample_elements(const Problem& p, Direction d, std::int64_t count, std::uint64_t seed);

}  // namespace tconv
