// The canonical convention: the crops of docs/design.md section 1 written directly, per side and
// possibly negative (an extension of the output that receives only the bias).
//   crop: [top, bottom, left, right]   (a scalar crops every side equally)
//   pad_top / pad_bottom / pad_left / pad_right override one side of `crop`.
#include "conformance/conventions/common_keys.h"

namespace tconv::conventions {

namespace {

class CanonicalConvention final : public Convention {
 public:
  CanonicalConvention() : keys_(shared_problem_keys()) {
    keys_.push_back({"crop", ValueSpec::ints_at_least(4, std::numeric_limits<std::int64_t>::min(), "[top, bottom, left, right]"),
                     Value{{0, 0, 0, 0}, ""}, {"top", "bottom", "left", "right"}});
    for (const char* side : {"pad_top", "pad_bottom", "pad_left", "pad_right"})
      keys_.push_back({side, ValueSpec::integer_at_least(std::numeric_limits<std::int64_t>::min()), std::nullopt, {}});
  }

  std::string_view name() const override { return "canonical"; }
  const std::vector<KeySpec>& keys() const override { return keys_; }
  std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet& params) const override {
    return shared_tensor_sizes(tensor, params);
  }

  Translation translate(const ParamSet& params) const override {
    Translation t;
    apply_shared_problem_keys(params, t.problem);
    if (Translation q = apply_quant_keys(params, t.problem); !q.error.empty()) return q;
    const auto& crop = params.ints("crop");
    std::int64_t* sides[] = {&t.problem.crop_top, &t.problem.crop_bottom, &t.problem.crop_left, &t.problem.crop_right};
    const char* names[] = {"pad_top", "pad_bottom", "pad_left", "pad_right"};
    for (int i = 0; i < 4; ++i) {
      const Value* side = params.value(names[i]);
      *sides[i] = side ? side->ints.at(0) : crop[static_cast<std::size_t>(i)];
    }
    const Problem& p = t.problem;
    t.rule = "canonical crops as written: top " + std::to_string(p.crop_top) + ", bottom " + std::to_string(p.crop_bottom) +
             ", left " + std::to_string(p.crop_left) + ", right " + std::to_string(p.crop_right);
    return t;
  }

 private:
  std::vector<KeySpec> keys_;
};

}  // namespace

const Convention& canonical_convention() {
  static const CanonicalConvention c;
  return c;
}

}  // namespace tconv::conventions
