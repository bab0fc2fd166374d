// Seeded, reproducible input fills (docs/design.md section 4). The same (problem, fill spec,
// operand) always gives the same values, whatever the layout or the order of calls.
#pragma once

#include "backends/api/backend.h"
#include "conformance/case.h"

namespace tconv {

enum class Operand : std::uint8_t { x, w, b, dy };

// Fills t (an input operand of p, already allocated in its layout and dtype) with values
// from `spec`. Values are generated per logical index and rounded to t's dtype, so a layout
// change never changes a value:
//   uniform: U(-1, 1);  normal: N(0, 1);
//   integer: small integers chosen so every f32 sum of the problem is exact (|x|,|w| <= a
//            bound derived from the reduction length, benchdnn-style): the expected error is 0.
//   exact:   as integer, sized so that every product, partial sum and result is exact in the
//            output type itself (f16: integers up to 2^11, bf16: 2^8; benchdnn's approach);
//            for reductions too long for that, x and dy are thinned with zeros (fill.cpp).
// golden is not generated here (the caller loads files) and fills zeros.
// Quantized problems (i8 / i16) take every generated kind as: integers uniform over the
// dtype's range around each zero point (narrowed so that no accumulator can leave int32) and
// an int32 bias of comparable size; the requantization then spreads them over the output.
// `integer` narrows x and w to zero point +-4 (small sums: many exact ties after a small shift).
void fill_operand(HostTensor& t, Operand which, const Problem& p, const FillSpec& spec);

// All inputs of a problem, allocated in its layouts and filled: x, w, b (if bias), dy.
struct InputSet {
  HostTensor x, w, b, dy;
  Operands operands() const;  // inputs only, outputs null
};
InputSet make_inputs(const Problem& p, const FillSpec& spec);

// An output tensor of direction d, allocated in its layout and dtype and poisoned with NaN.
HostTensor make_output(const Problem& p, Direction d);
Operands with_output(Operands in, Direction d, HostTensor& out);

}  // namespace tconv
