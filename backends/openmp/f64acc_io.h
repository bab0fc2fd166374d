// f64 copies of operands in logical C order (NCHW for data, IOHW for weights, [C] for bias)
// and the way back, for the f64acc variant: every float dtype and layout, read exactly and
// rounded once on the way out.
#pragma once

#include "backends/api/tensor.h"

namespace tconv::openmp {

// dst[logical index] = t's stored value, exactly. Parallel over the outermost dimension.
void load_logical_f64(const HostTensor& t, double* dst, int threads);
// t's element at every logical index = src[index] rounded once to t's dtype.
void store_logical_f64(const double* src, HostTensor& t, int threads);

}  // namespace tconv::openmp
