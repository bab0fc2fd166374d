#include "backends/cudnn/cudnn_descriptors.h"

#include <algorithm>

#include "backends/api/weight_permutation.h"

namespace tconv::conventions {

namespace {

// One dimension's canonical crops (negative = extension).
struct Crops {
  std::int64_t begin = 0, end = 0;
};

const char* cudnn_type(DType t) {
  switch (t) {
    case DType::f32: return "CUDNN_DATA_FLOAT";
    case DType::f64: return "CUDNN_DATA_DOUBLE";
    case DType::f16: return "CUDNN_DATA_HALF";
    case DType::bf16: return "CUDNN_DATA_BFLOAT16";
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
  return "?";
}

// Why one dimension cannot map directly ("" when it can).
std::string bad_param_reason(Crops c, std::int64_t s, const char* dim) {
  const std::string crops = std::string(dim) + " crops (" + std::to_string(c.begin) + ", " + std::to_string(c.end) + ")";
  if (c.begin < 0) return crops + ": a negative begin crop would be a negative pad, which cuDNN rejects";
  const std::int64_t extra = c.begin - c.end;
  if (extra < 0)
    return crops + ": the end crops more than the begin, but cuDNN pads both ends by pad_" + (dim[0] == 'h' ? std::string("h") : "w") +
           " and only allows extra rows at the end (asymmetric crop)";
  if (extra >= s)
    return crops + ": " + std::to_string(extra) + " extra lines at the end >= stride " + std::to_string(s) +
           " (output_padding >= stride): dx's forward output size would not be dy's";
  return "";
}

}  // namespace

bool symmetric_pad_maps(std::int64_t begin, std::int64_t end, std::int64_t stride) {
  return bad_param_reason({begin, end}, stride, "height").empty();
}

std::optional<std::array<std::int64_t, 2>> graph_padding(std::int64_t begin, std::int64_t end, std::int64_t stride) {
  if (symmetric_pad_maps(begin, end, stride)) return std::array<std::int64_t, 2>{begin, begin};
  if (begin >= 0 && end >= 0) return std::array<std::int64_t, 2>{begin, end};
  return std::nullopt;
}

CudnnBackwardData cudnn_backward_data(const Problem& p) {
  CudnnBackwardData m;
  const Crops ch{p.crop_top, p.crop_bottom}, cw{p.crop_left, p.crop_right};
  m.pad_h = ch.begin;
  m.pad_w = cw.begin;
  m.u = p.stride_h;
  m.v = p.stride_w;
  m.dilation_h = p.dil_h;
  m.dilation_w = p.dil_w;
  m.data_type = cudnn_type(p.dtype);
  m.compute_type = p.dtype == DType::f64 ? "CUDNN_DATA_DOUBLE" : "CUDNN_DATA_FLOAT";
  m.group_count = p.groups;
  m.k = p.c_in;
  m.c = p.c_out / p.groups;
  m.r = p.kh;
  m.s = p.kw;
  // Keep a weight layout cuDNN can read; anything else is permuted into the data's format.
  m.filter_layout = p.weight_layout == Layout::IOHW || p.weight_layout == Layout::IHWO
                        ? p.weight_layout
                        : (p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW);
  m.filter_format = m.filter_layout == Layout::IHWO ? "CUDNN_TENSOR_NHWC" : "CUDNN_TENSOR_NCHW";
  m.weight_conversion = conversion_code(p.weight_layout, m.filter_layout, p.groups);
  const std::string fmt = p.layout == Layout::NHWC ? "CUDNN_TENSOR_NHWC" : "CUDNN_TENSOR_NCHW";
  m.dy = {fmt, p.n, p.c_in, p.h_in, p.w_in};
  m.dx = {fmt, p.n, p.c_out, p.h_out(), p.w_out()};
  m.bias = p.bias ? "cudnnAddTensor(alpha 1, bias [1, " + std::to_string(p.c_out) + ", 1, 1], beta 1, dx)" : "none";

  for (const std::string& r : {bad_param_reason(ch, p.stride_h, "height"), bad_param_reason(cw, p.stride_w, "width")})
    if (!r.empty()) m.bad_param.push_back(r);
  m.direct = m.bad_param.empty();
  m.y_h = p.h_out();
  m.y_w = p.w_out();
  if (!m.direct) {
    m.pad_h = std::max<std::int64_t>(std::min(ch.begin, ch.end), 0);
    m.pad_w = std::max<std::int64_t>(std::min(cw.begin, cw.end), 0);
    // The full (uncropped) output is the output plus both crops.
    m.dx.h = p.h_out() + ch.begin + ch.end - 2 * m.pad_h;
    m.dx.w = p.w_out() + cw.begin + cw.end - 2 * m.pad_w;
    m.row_offset = ch.begin - m.pad_h;
    m.col_offset = cw.begin - m.pad_w;
  }
  return m;
}

}  // namespace tconv::conventions
