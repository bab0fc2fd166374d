// `tconv explain --from cudnn|onednn`: the values a user passed to a library call, checked
// rule by rule against what a transposed convolution needs, and, when every rule holds, the
// canonical problem they describe (the reverse of cudnn_descriptors.h / onednn_descriptors.h).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "backends/api/problem.h"
#include "backends/api/result.h"

namespace tconv::conventions {

struct RuleCheck {
  std::string text;  // the rule with the values' numbers, e.g. "filter k=256 must equal dy channels 256"
  bool ok = true;
};

struct DescriptorCheck {
  std::vector<RuleCheck> rules;
  std::vector<std::string> notes;  // what the values mean beyond the rules (a flipped filter, no bias)
  Problem problem;                 // the described problem; meaningful only when valid()
  bool valid() const {
    for (const RuleCheck& r : rules)
      if (!r.ok) return false;
    return true;
  }
};

// The sizes both libraries' values name: x [n, c_in, h, w], C_out, groups, and per (h, w)
// the kernel, stride and dilation; crops (top, bottom, left, right).
struct DescribedSizes {
  Dims x;
  std::int64_t c_out = 1, groups = 1;
  std::array<std::int64_t, 2> kernel, stride, dilation;
  std::array<std::int64_t, 4> crops;
};
Problem described_problem(const DescribedSizes& s, DType dtype, Layout layout, Layout weight_layout, bool bias);

// cudnnConvolutionBackwardData's values as key=value text (the syntax: kCudnnValuesHelp).
Result<DescriptorCheck> check_cudnn_values(std::string_view text);
// A oneDNN deconvolution_forward descriptor's values (kOnednnValuesHelp).
Result<DescriptorCheck> check_onednn_values(std::string_view text);

inline constexpr const char* kCudnnValuesHelp =
    "  cudnn    filter=k,c,h,w filter_format=NCHW|NHWC data_type=FLOAT|DOUBLE|HALF|BFLOAT16\n"
    "           pad=h,w stride=h,w dilation=h,w mode=CROSS_CORRELATION|CONVOLUTION groups\n"
    "           dy=n,c,h,w dx=n,c,h,w format=NCHW|NHWC (or dy_format, dx_format) bias=true|false\n"
    "           (the arguments of cudnnSetFilter4dDescriptor, cudnnSetConvolution2dDescriptor,\n"
    "           cudnnSetConvolutionGroupCount and cudnnSetTensor4dDescriptor, dims in n,c,h,w order\n"
    "           whatever the format; the CUDNN_ / CUDNN_DATA_ / CUDNN_TENSOR_ prefixes are optional)\n";
inline constexpr const char* kOnednnValuesHelp =
    "  onednn   src=N,IC,IH,IW dst=N,OC,OH,OW weights=OC,IC,KH,KW (or group_weights=G,OC/G,IC/G,KH,KW)\n"
    "           strides dilates (d - 1) padding_l padding_r src_tag=nchw|nhwc dst_tag\n"
    "           data_type=f32|f16|bf16|f64 bias=true|false (deconvolution_forward's logical dims)\n";

}  // namespace tconv::conventions
