#include "conformance/reference_check.h"

#include <charconv>

#include "backends/naive/sample.h"

namespace tconv {

std::string CheckMode::flag() const { return sampled() ? "sample:" + std::to_string(samples) : ""; }

std::optional<CheckMode> parse_check_mode(std::string_view text) {
  if (text == "full") return CheckMode{};
  constexpr std::string_view kSample = "sample:";
  if (text.substr(0, kSample.size()) != kSample) return std::nullopt;
  const std::string_view digits = text.substr(kSample.size());
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || n < 1) return std::nullopt;
  return CheckMode{n};
}

Reference checked_reference(const Problem& p, Direction d, const Operands& ops, const CheckMode& mode,
                            std::uint64_t seed) {
  if (!mode.sampled()) return compute_reference(p, d, ops);
  Reference r = compute_sampled_reference(p, d, ops, sample_elements(p, d, mode.samples, seed));
  // Sampled every element: the same as a full reference.
  if (static_cast<std::int64_t>(r.sampled.size()) == r.dims[0] * r.dims[1] * r.dims[2] * r.dims[3]) r.sampled.clear();
  return r;
}

std::string reference_label(const Reference& ref) {
  if (!ref.is_sampled()) return "oracle";
  const Dims& d = ref.dims;
  return "oracle sample " + std::to_string(ref.sampled.size()) + "/" + std::to_string(d[0] * d[1] * d[2] * d[3]);
}

}  // namespace tconv
