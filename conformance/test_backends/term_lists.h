// The products every output element of a direction sums, listed per element, for test
// backends that model how real kernels accumulate (rounding_models.h). Built from one walk
// over the taps of the transposed convolution (x pixel, weight tap, y pixel), grouped by the
// direction's output; the fwd bias is left out (the models add it their own way).
#pragma once

#include <vector>

#include "backends/api/backend.h"

namespace tconv::testing {

struct Term {
  double a = 0, b = 0;
};

// terms[e] for output element e in the output's logical C order.
std::vector<std::vector<Term>> term_lists(const Problem& p, Direction d, const Operands& ops);

}  // namespace tconv::testing
