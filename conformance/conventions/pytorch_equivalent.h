// The reverse of the pytorch convention (pytorch.cpp): which padding / output_padding give a
// canonical problem's crops. PyTorch crops `padding` at both ends and output_padding
// un-crops the end only, so a problem is exact in PyTorch iff per dimension
//   crop_begin >= 0, output_padding = crop_begin - crop_end >= 0, and
//   output_padding < stride or output_padding < dilation (PyTorch's own check).
// Keras's same k=3 s=2 (crops 0 and 1) fails the second rule: padding=1, output_padding=1
// gives the same size one pixel shifted; the exact way is padding=0 and dropping the last row.
#pragma once

#include "conformance/conventions/equivalent.h"

namespace tconv::conventions {

Equivalent pytorch_equivalent(const Problem& p);

}  // namespace tconv::conventions
