#include "conformance/conventions/descriptor_check.h"

namespace tconv::conventions {

Problem described_problem(const DescribedSizes& s, DType dtype, Layout layout, Layout weight_layout, bool bias) {
  Problem p;
  p.n = s.x[0];
  p.c_in = s.x[1];
  p.h_in = s.x[2];
  p.w_in = s.x[3];
  p.c_out = s.c_out;
  p.groups = s.groups;
  p.kh = s.kernel[0];
  p.kw = s.kernel[1];
  p.stride_h = s.stride[0];
  p.stride_w = s.stride[1];
  p.dil_h = s.dilation[0];
  p.dil_w = s.dilation[1];
  p.crop_top = s.crops[0];
  p.crop_bottom = s.crops[1];
  p.crop_left = s.crops[2];
  p.crop_right = s.crops[3];
  p.dtype = dtype;
  p.layout = layout;
  p.weight_layout = weight_layout;
  p.bias = bias;
  return p;
}

}  // namespace tconv::conventions
