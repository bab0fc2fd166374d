// `explain --from onednn`: a deconvolution_forward descriptor read back (onednn_descriptors.h
// the other way): src = x, dst = y, weights {OC, IC, KH, KW} or {G, OC/G, IC/G, KH, KW},
// dilates counted from 0, padding_l / padding_r the begin / end crops. oneDNN needs
// dst = (src - 1)*stride - padding_l - padding_r + (k - 1)*(dilate + 1) + 1 exactly.
#include <limits>

#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/descriptor_check.h"
#include "conformance/conventions/param_text.h"

namespace tconv::conventions {

namespace {

constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::min();

const std::vector<KeySpec>& onednn_keys() {
  static const std::vector<KeySpec> keys = {
      {"src", ValueSpec::ints_at_least(4, 1, "{N, IC, IH, IW}"), std::nullopt, {}},
      {"dst", ValueSpec::ints_at_least(4, 1, "{N, OC, OH, OW}"), std::nullopt, {}},
      {"weights", ValueSpec::ints_at_least(4, 1, "{OC, IC, KH, KW}"), std::nullopt, {}},
      {"group_weights", ValueSpec::ints_at_least(5, 1, "{G, OC/G, IC/G, KH, KW}"), std::nullopt, {}},
      pair_key("strides", 1, 1),
      pair_key("dilates", 0, 0),
      pair_key("padding_l", kAny, 0),
      pair_key("padding_r", kAny, 0),
      {"src_tag", ValueSpec::one_of({"nchw", "nhwc"}), Value{{}, "nchw"}, {}},
      {"dst_tag", ValueSpec::one_of({"nchw", "nhwc"}), Value{{}, "nchw"}, {}},
      {"data_type", ValueSpec::one_of({"f32", "f16", "bf16", "f64"}), Value{{}, "f32"}, {}},
      {"bias", ValueSpec::boolean(), Value{{}, "false"}, {}},
  };
  return keys;
}

std::string num(std::int64_t v) { return std::to_string(v); }

RuleCheck dst_length(const char* dim, std::int64_t src, std::int64_t dst, std::int64_t k, std::int64_t s, std::int64_t pl,
                     std::int64_t pr, std::int64_t dilate) {
  const std::int64_t want = (src - 1) * s - pl - pr + (k - 1) * (dilate + 1) + 1;
  return {"dst " + std::string(dim) + " " + num(dst) + " needs (" + num(src) + " - 1) * " + num(s) + " - " + num(pl) + " - " + num(pr) +
              " + (" + num(k) + " - 1) * (" + num(dilate) + " + 1) + 1 = " + num(want),
          dst == want && want >= 1};
}

}  // namespace

Result<DescriptorCheck> check_onednn_values(std::string_view text) {
  auto parsed = parse_param_text("onednn", onednn_keys(), text);
  if (!parsed) return Result<DescriptorCheck>::failure(parsed.error());
  const ParamSet& v = *parsed;
  for (const char* required : {"src", "dst"})
    if (!v.given(required)) return Result<DescriptorCheck>::failure(std::string(required) + ": missing (give " + required + "=N,C,H,W)");
  if (v.given("weights") == v.given("group_weights"))
    return Result<DescriptorCheck>::failure("weights: give weights=OC,IC,KH,KW or group_weights=G,OC/G,IC/G,KH,KW (one of them)");
  const auto& src = v.ints("src");
  const auto& dst = v.ints("dst");
  // {G, OC/G, IC/G, KH, KW}; plain weights are one group.
  std::vector<std::int64_t> w = v.given("weights") ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{};
  for (std::int64_t d : v.given("weights") ? v.ints("weights") : v.ints("group_weights")) w.push_back(d);
  const std::int64_t g = w[0], oc = w[0] * w[1], ic = w[0] * w[2];
  const auto& s = v.ints("strides");
  const auto& dl = v.ints("dilates");
  const auto& pl = v.ints("padding_l");
  const auto& pr = v.ints("padding_r");

  DescriptorCheck out;
  auto per_group = [&](const char* what, std::int64_t v) { return g > 1 ? " (G " + num(g) + " * " + what + "/G " + num(v) + ")" : ""; };
  out.rules.push_back({"src channels " + num(src[1]) + " must equal the weights' IC " + num(ic) + per_group("IC", w[2]), src[1] == ic});
  out.rules.push_back({"dst channels " + num(dst[1]) + " must equal the weights' OC " + num(oc) + per_group("OC", w[1]), dst[1] == oc});
  out.rules.push_back({"src batch " + num(src[0]) + " must equal dst batch " + num(dst[0]), src[0] == dst[0]});
  out.rules.push_back(dst_length("height", src[2], dst[2], w[3], s[0], pl[0], pr[0], dl[0]));
  out.rules.push_back(dst_length("width", src[3], dst[3], w[4], s[1], pl[1], pr[1], dl[1]));
  out.rules.push_back({"src_tag " + v.word("src_tag") + " must equal dst_tag " + v.word("dst_tag") + " (tconv describes both in one layout)",
                       v.word("src_tag") == v.word("dst_tag")});
  out.notes.push_back("the weights are read as tconv IOHW ({IC, OC/G, KH, KW} in memory, PyTorch's order); the report shows their strides");

  out.problem = described_problem({{src[0], src[1], src[2], src[3]}, dst[1], g, {w[3], w[4]}, {s[0], s[1]}, {dl[0] + 1, dl[1] + 1},
                                   {pl[0], pr[0], pl[1], pr[1]}},
                                  *parse_dtype(v.word("data_type")), v.word("src_tag") == "nhwc" ? Layout::NHWC : Layout::NCHW,
                                  Layout::IOHW, v.flag("bias"));
  return out;
}

}  // namespace tconv::conventions
