// The canonical problem as a oneDNN deconvolution (docs/design.md section 2), as plain values: no
// oneDNN call (backends/onednn/ makes the real descriptors), so `tconv explain` prints it and
// it is tested on any machine. src = x, dst = y, weights {G, OC/G, IC/G, KH, KW} (or
// {OC, IC, KH, KW} without groups); strides; dilates counted from 0 (d - 1);
// padding_l = the begin crops, padding_r = the end crops (output_padding folded in).
#pragma once

#include <string>
#include <vector>

#include "backends/api/problem.h"

namespace tconv::conventions {

struct OnednnDeconvolution {
  std::string algorithm = "dnnl::algorithm::deconvolution_direct";
  std::vector<std::int64_t> src, weights, dst, bias;  // logical dims
  std::string src_tag, dst_tag;                        // nchw / nhwc
  std::vector<std::int64_t> weights_strides;           // of `weights` as the problem stores them
  std::vector<std::int64_t> strides, dilates, padding_l, padding_r;
  std::vector<std::string> notes;                      // e.g. negative padding
};

OnednnDeconvolution onednn_deconvolution(const Problem& p);

// "{1, 2, 3}"
std::string dims_text(const std::vector<std::int64_t>& v);

}  // namespace tconv::conventions
