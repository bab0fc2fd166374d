// The canonical problem as oneDNN 2.6 memory descriptors: the values of onednn_descriptors.h
// (the one mapping, which `tconv explain` prints) handed to oneDNN.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "backends/api/problem.h"

namespace tconv::onednn {

using dnnl::memory;

memory::data_type data_type(DType t);
// x / dx and y / dy as stored (NCHW or NHWC).
memory::desc input_desc(const Problem& p);
memory::desc output_desc(const Problem& p);
// Weights as stored; `layout` is IOHW, IHWO or HWOI (OIHW_FLIPPED has negative strides,
// which oneDNN cannot describe: the backend flips it into IOHW first).
memory::desc weights_desc(const Problem& p, Layout layout);
memory::desc bias_desc(const Problem& p);
// The same shapes with format `any`, for the primitive to choose its own layout.
memory::desc any_like(const memory::desc& d);

struct Geometry {
  memory::dims strides, dilates, padding_l, padding_r;
};
Geometry geometry(const Problem& p);

}  // namespace tconv::onednn
