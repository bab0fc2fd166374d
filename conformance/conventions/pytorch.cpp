// PyTorch (and R torch) ConvTranspose2d / conv_transpose2d terms (docs/design.md section 2):
//   padding p, output_padding op  ->  pad_begin = p, pad_end = p - op   (per dimension)
// with PyTorch's own checks: p >= 0, op >= 0 (bad input), and `op < stride or op < dilation`
// (an INVALID case, with the reason). `output_size` as in ConvTranspose2d.forward chooses
// op = output_size - min_size; PyTorch accepts sizes in [min_size, min_size + stride - 1].
#include "conformance/conventions/common_keys.h"
#include "conformance/conventions/crop_math.h"

namespace tconv::conventions {

namespace {

std::string hw(std::int64_t h, std::int64_t w) { return std::to_string(h) + "x" + std::to_string(w); }

class PytorchConvention final : public Convention {
 public:
  PytorchConvention() : keys_(shared_problem_keys()) {
    keys_.push_back(pair_key("padding", 0, 0));
    keys_.push_back(pair_key("output_padding", 0, 0));
    keys_.push_back(pair_key("output_size", 1, std::nullopt));
  }

  std::string_view name() const override { return "pytorch"; }
  const std::vector<KeySpec>& keys() const override { return keys_; }
  std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet& params) const override {
    return shared_tensor_sizes(tensor, params);
  }

  Translation translate(const ParamSet& params) const override {
    Translation t;
    Problem& p = t.problem;
    apply_shared_problem_keys(params, p);
    if (Translation q = apply_quant_keys(params, t.problem); !q.error.empty()) return q;
    const auto& pad = params.ints("padding");
    std::vector<std::int64_t> op = params.ints("output_padding");

    if (const Value* size = params.value("output_size")) {
      if (params.given("output_padding"))
        return Translation::failure("output_size", "give output_size or output_padding, not both (output_size chooses output_padding)");
      const std::int64_t in[] = {p.h_in, p.w_in}, k[] = {p.kh, p.kw}, s[] = {p.stride_h, p.stride_w},
                         d[] = {p.dil_h, p.dil_w};
      for (std::size_t i = 0; i < 2; ++i) {
        const std::int64_t min_size = (in[i] - 1) * s[i] - 2 * pad[i] + d[i] * (k[i] - 1) + 1;
        op[i] = size->ints[i] - min_size;
        if ((op[i] < 0 || op[i] >= s[i]) && t.invalid_reason.empty())
          t.invalid_reason = std::string("output_size_out_of_range: pytorch accepts an output ") + (i == 0 ? "height" : "width") +
                             " of " + std::to_string(min_size) + ".." + std::to_string(min_size + s[i] - 1) +
                             " for this layer, got " + std::to_string(size->ints[i]);
      }
    }
    p.crop_top = pad[0];
    p.crop_bottom = pad[0] - op[0];
    p.crop_left = pad[1];
    p.crop_right = pad[1] - op[1];
    t.rule = "pytorch padding " + tuple_text(pad[0], pad[1]) + ", output_padding " + tuple_text(op[0], op[1]) +
             (params.value("output_size") ? " (output_size - min_size)" : "") + ": crop begin = p, end = p - op: " +
             rule_per_dim("begin " + std::to_string(p.crop_top) + ", end " + std::to_string(p.crop_bottom),
                          "begin " + std::to_string(p.crop_left) + ", end " + std::to_string(p.crop_right));

    const bool h_ok = op[0] < p.stride_h || op[0] < p.dil_h;
    const bool w_ok = op[1] < p.stride_w || op[1] < p.dil_w;
    if (t.invalid_reason.empty() && !(h_ok && w_ok))
      t.invalid_reason = "output_padding_too_large: pytorch requires output_padding < stride or < dilation, got output_padding " +
                         hw(op[0], op[1]) + ", stride " + hw(p.stride_h, p.stride_w) + ", dilation " + hw(p.dil_h, p.dil_w);
    return t;
  }

 private:
  std::vector<KeySpec> keys_;
};

}  // namespace

const Convention& pytorch_convention() {
  static const PytorchConvention c;
  return c;
}

}  // namespace tconv::conventions
