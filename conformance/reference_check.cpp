#include "conformance/reference_check.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "backends/naive/sample.h"
#include "conformance/device_reference.h"
#include "conformance/f64acc_reference.h"

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

std::int64_t fast_check_samples(double terms, std::int64_t elements) {
  // The definition costs about its terms; the sample may cost kFastCheckedWhole terms or
  // 1/kFastCheckShare of the problem's, whichever is more.
  const double per_element = terms / static_cast<double>(elements);
  const double budget = std::max(kFastCheckedWhole, terms / kFastCheckShare);
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(budget / per_element), 1, kFastCheckSamples);
}

namespace {

std::int64_t element_count(const Reference& r) { return r.dims[0] * r.dims[1] * r.dims[2] * r.dims[3]; }

// sample_elements(), whose structural part (every plane's corners on the tensor's edges, the
// border rows and columns of two planes, the stride phases) is kept whole while it fits in
// `count`, else spread evenly over it, first and last included: where each element sums a
// whole batch (weight and bias gradients) that part is most of the tensor.
std::vector<std::int64_t> fast_check_elements(const Problem& p, Direction d, std::int64_t count, std::uint64_t seed) {
  std::vector<std::int64_t> at = sample_elements(p, d, count, seed);
  const auto size = static_cast<std::int64_t>(at.size());
  if (size <= count) return at;
  std::vector<std::int64_t> spread(static_cast<std::size_t>(count));
  for (std::int64_t k = 0; k < count; ++k)
    spread[static_cast<std::size_t>(k)] = at[static_cast<std::size_t>(count == 1 ? 0 : k * (size - 1) / (count - 1))];
  return spread;
}

// cuda:gather in f64 where a GPU answers, else openmp:f64acc, else the oracle's fast loops;
// then the per-element definition on all or a sample of its elements.
Reference fast_reference(const Problem& p, Direction d, const Operands& ops, std::uint64_t seed) {
  std::optional<Reference> engine = device_reference(p, d, ops);
  if (!engine) engine = f64acc_reference(p, d, ops);
  Reference fast = engine ? std::move(*engine) : compute_reference(p, d, ops);
  const std::string name = engine ? fast.origin : "fast f64";
  const std::int64_t count = element_count(fast);
  if (count == 0) return fast;
  // Terms summed over all elements: flops() counts 2 per multiply-add, 1 per bias addition.
  const double terms = d == Direction::bwd_bias ? flops(p, d) : flops(p, d) / 2;
  std::vector<std::int64_t> at;
  if (terms <= kFastCheckedWhole) {
    at.resize(static_cast<std::size_t>(count));
    for (std::int64_t e = 0; e < count; ++e) at[static_cast<std::size_t>(e)] = e;
  } else {
    at = fast_check_elements(p, d, fast_check_samples(terms, count), seed);
  }
  Reference def = compute_sampled_reference(p, d, ops, at);
  for (std::size_t k = 0; k < def.sampled.size(); ++k) {
    const auto e = static_cast<std::size_t>(def.sampled[k]);
    const double a = fast.value[e], b = def.value[k];
    const bool same = a == b || (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= 1e-12 * def.abs_sum[k];
    if (!same || fast.terms[e] != def.terms[k]) {
      def.origin = name + " disagrees with the definition at element " + std::to_string(e) + " (" +
                   std::to_string(fast.value[e]) + " vs " + std::to_string(def.value[k]) + "); checked on the sample";
      return def;
    }
  }
  const bool whole = static_cast<std::int64_t>(def.sampled.size()) == count;
  fast.origin = name + ", definition agrees on " +
                (whole ? "all " + std::to_string(count) : "sample " + std::to_string(def.sampled.size()) + "/" + std::to_string(count));
  return fast;
}

}  // namespace

Reference checked_reference(const Problem& p, Direction d, const Operands& ops, const CheckMode& mode,
                            std::uint64_t seed) {
  if (mode.fast && !mode.sampled()) return fast_reference(p, d, ops, seed);
  if (!mode.sampled()) return compute_reference(p, d, ops);
  Reference r = compute_sampled_reference(p, d, ops, sample_elements(p, d, mode.samples, seed));
  // Sampled every element: the same as a full reference.
  if (static_cast<std::int64_t>(r.sampled.size()) == r.dims[0] * r.dims[1] * r.dims[2] * r.dims[3]) r.sampled.clear();
  return r;
}

std::string reference_label(const Reference& ref) {
  if (!ref.origin.empty()) return ref.origin;
  if (!ref.is_sampled()) return "oracle";
  const Dims& d = ref.dims;
  return "oracle sample " + std::to_string(ref.sampled.size()) + "/" + std::to_string(d[0] * d[1] * d[2] * d[3]);
}

}  // namespace tconv
