// `explain --from cudnn`: cudnnConvolutionBackwardData's descriptors read back. The backward
// data of the convolution dx -> dy is the transposed convolution dy -> dx (cudnn_descriptors.h):
// x = dy, y = dx, C_in = filter k, C_out = filter c * groups, and dx's size is accepted when its
// forward output size is dy's, i.e. (dy - 1)*u - 2*pad + d*(r - 1) + 1 (+ up to u - 1 extra
// lines at the end, PyTorch's output_padding).
#include <limits>

#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/descriptor_check.h"
#include "conformance/conventions/param_text.h"

namespace tconv::conventions {

namespace {

constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::min();

const std::vector<KeySpec>& cudnn_keys() {
  static const std::vector<KeySpec> keys = {
      {"filter", ValueSpec::ints_at_least(4, 1, "[k, c, h, w]"), std::nullopt, {}},
      {"filter_format", ValueSpec::one_of({"NCHW", "NHWC"}), Value{{}, "NCHW"}, {}},
      {"data_type", ValueSpec::one_of({"FLOAT", "DOUBLE", "HALF", "BFLOAT16"}), Value{{}, "FLOAT"}, {}},
      pair_key("pad", kAny, 0),
      pair_key("stride", 1, 1),
      pair_key("dilation", 1, 1),
      {"mode", ValueSpec::one_of({"CROSS_CORRELATION", "CONVOLUTION"}), Value{{}, "CROSS_CORRELATION"}, {}},
      {"groups", ValueSpec::integer_at_least(1), Value{{1}, ""}, {}},
      {"dy", ValueSpec::ints_at_least(4, 1, "[n, c, h, w]"), std::nullopt, {}},
      {"dx", ValueSpec::ints_at_least(4, 1, "[n, c, h, w]"), std::nullopt, {}},
      {"format", ValueSpec::one_of({"NCHW", "NHWC"}), Value{{}, "NCHW"}, {}},
      {"dy_format", ValueSpec::one_of({"NCHW", "NHWC"}), std::nullopt, {}},
      {"dx_format", ValueSpec::one_of({"NCHW", "NHWC"}), std::nullopt, {}},
      {"bias", ValueSpec::boolean(), Value{{}, "false"}, {}},
  };
  return keys;
}

// "CUDNN_DATA_FLOAT" -> "FLOAT": users paste the enum names.
std::string without_prefixes(std::string_view text) {
  std::string s(text);
  for (const std::string prefix : {"CUDNN_DATA_", "CUDNN_TENSOR_", "CUDNN_"})
    for (std::size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, prefix.size());
  return s;
}

DType dtype_of(const std::string& t) {
  return t == "DOUBLE" ? DType::f64 : t == "HALF" ? DType::f16 : t == "BFLOAT16" ? DType::bf16 : DType::f32;
}

std::string num(std::int64_t v) { return std::to_string(v); }

struct DimCheck {
  RuleCheck rule;
  std::int64_t extra = 0;  // dx lines beyond the minimum: cropped less at the end
};

// dx's length in one dimension against dy's.
DimCheck check_dx_length(const char* dim, std::int64_t dy, std::int64_t dx, std::int64_t k, std::int64_t s, std::int64_t pad,
                         std::int64_t d) {
  const std::int64_t min = (dy - 1) * s - 2 * pad + d * (k - 1) + 1;
  const std::int64_t max = min + s - 1;
  DimCheck c;
  c.extra = dx - min;
  c.rule.ok = dx >= min && dx <= max && min >= 1;
  c.rule.text = "dx " + std::string(dim) + " " + num(dx) + " needs (" + num(dy) + " - 1) * " + num(s) + " - 2 * " + num(pad) + " + " +
                num(d) + " * (" + num(k) + " - 1) + 1 = " + num(min) +
                (s > 1 ? " (up to " + num(min) + " + " + num(s) + " - 1 = " + num(max) + ": output padding)" : "") +
                ", so that the forward output size of dx is dy's " + num(dy);
  return c;
}

}  // namespace

Result<DescriptorCheck> check_cudnn_values(std::string_view text) {
  auto parsed = parse_param_text("cudnn", cudnn_keys(), without_prefixes(text));
  if (!parsed) return Result<DescriptorCheck>::failure(parsed.error());
  const ParamSet& v = *parsed;
  for (const char* required : {"filter", "dy", "dx"})
    if (!v.given(required))
      return Result<DescriptorCheck>::failure(std::string(required) + ": missing (give " + required + "=" +
                                              (required[0] == 'f' ? "k,c,h,w" : "n,c,h,w") + ")");
  const auto& f = v.ints("filter");
  const auto& dy = v.ints("dy");
  const auto& dx = v.ints("dx");
  const auto& pad = v.ints("pad");
  const auto& stride = v.ints("stride");
  const auto& dil = v.ints("dilation");
  const std::int64_t g = v.integer("groups");
  const std::string dy_format = v.given("dy_format") ? v.word("dy_format") : v.word("format");
  const std::string dx_format = v.given("dx_format") ? v.word("dx_format") : v.word("format");

  DescriptorCheck out;
  auto& rules = out.rules;
  rules.push_back({"filter k=" + num(f[0]) + " must equal dy channels " + num(dy[1]) + " (k counts the convolution's outputs: dy's)",
                   f[0] == dy[1]});
  rules.push_back({"filter c=" + num(f[1]) + " * groups " + num(g) + " = " + num(f[1] * g) + " must equal dx channels " + num(dx[1]),
                   f[1] * g == dx[1]});
  rules.push_back({"filter k=" + num(f[0]) + " must be a multiple of groups " + num(g), f[0] % g == 0});
  rules.push_back({"dy batch " + num(dy[0]) + " must equal dx batch " + num(dx[0]), dy[0] == dx[0]});
  for (int i = 0; i < 2; ++i)
    rules.push_back({std::string("pad_") + (i ? "w " : "h ") + num(pad[i]) + " must be >= 0", pad[i] >= 0});
  const DimCheck h = check_dx_length("height", dy[2], dx[2], f[2], stride[0], pad[0], dil[0]);
  const DimCheck w = check_dx_length("width", dy[3], dx[3], f[3], stride[1], pad[1], dil[1]);
  rules.push_back(h.rule);
  rules.push_back(w.rule);
  rules.push_back({"dy format " + dy_format + " must equal dx format " + dx_format + " (tconv describes both in one layout)",
                   dy_format == dx_format});

  if (v.word("mode") == "CONVOLUTION")
    out.notes.push_back("mode CUDNN_CONVOLUTION flips the filter in h and w: the layers below take the filter reversed in both");
  if (!v.flag("bias"))
    out.notes.push_back("cudnnConvolutionBackwardData adds no bias: give bias=true if a cudnnAddTensor of the layer's bias follows");

  // x = dy, y = dx; dx lines beyond the minimum are cropped less at the end.
  out.problem = described_problem({{dy[0], f[0], dy[2], dy[3]}, dx[1], g, {f[2], f[3]}, {stride[0], stride[1]}, {dil[0], dil[1]},
                                   {pad[0], pad[0] - h.extra, pad[1], pad[1] - w.extra}},
                                  dtype_of(v.word("data_type")), dy_format == "NHWC" ? Layout::NHWC : Layout::NCHW,
                                  v.word("filter_format") == "NHWC" ? Layout::IHWO : Layout::IOHW, v.flag("bias"));
  return out;
}

}  // namespace tconv::conventions
