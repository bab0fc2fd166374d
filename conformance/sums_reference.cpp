#include "conformance/sums_reference.h"

#include <algorithm>
#include <cmath>

#include "conformance/fill.h"

namespace tconv {
namespace {

HostTensor ones(Layout layout, const Dims& dims) {
  HostTensor out(DType::f32, layout, dims);
  out.fill(1.0);
  return out;
}

// K of every element: the taps that reach it (they depend on the geometry alone, so the
// engine counts them over ones on the problem cut to one image and one channel) times the
// channels (fwd: C_in/g, bwd_data: C_out/g) or images (bwd_weights) each tap sums over; the
// one plane's counts, repeated for every (image, channel) plane of the output.
std::optional<ReferenceArray<std::int32_t>> term_counts(const SumsEngine& sums, const Problem& p, Direction d,
                                                        std::size_t elements) {
  ReferenceArray<std::int32_t> terms(elements);
  if (d == Direction::bwd_bias) {
    std::fill(terms.begin(), terms.end(), static_cast<std::int32_t>(p.n * p.h_out() * p.w_out()));
    return terms;
  }
  Problem q = p;
  q.n = q.c_in = q.c_out = q.groups = 1;
  q.bias = false;
  q.dtype = DType::f32;
  q.layout = Layout::NCHW;
  q.weight_layout = Layout::IOHW;
  const HostTensor x = ones(q.layout, q.x_dims()), w = ones(q.weight_layout, q.w_dims()), dy = ones(q.layout, q.y_dims());
  const std::optional<ReferenceArray<double>> taps = sums(q, d, Operands{&x, &w, nullptr, &dy}, false);
  if (!taps || taps->empty()) return std::nullopt;
  const std::int64_t per_tap = d == Direction::fwd       ? p.c_in / p.groups
                               : d == Direction::bwd_data ? p.c_out / p.groups
                                                          : p.n;
  const std::size_t plane = taps->size();  // one image and channel of the output
  std::vector<std::int32_t> counts(plane);
  for (std::size_t i = 0; i < plane; ++i) counts[i] = static_cast<std::int32_t>(std::lround((*taps)[i]) * per_tap);
  for (std::size_t start = 0; start < elements; start += plane)
    std::copy(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(std::min(plane, elements - start)),
              terms.begin() + static_cast<std::ptrdiff_t>(start));
  return terms;
}

HostTensor widened(const HostTensor* t, bool magnitudes) {
  if (t == nullptr) return {};
  HostTensor out = t->to_dtype(DType::f64);
  if (magnitudes)
    for (std::int64_t i = 0; i < out.numel(); ++i) out.as<double>()[i] = std::fabs(out.as<double>()[i]);
  return out;
}

}  // namespace

std::optional<Reference> sums_reference(const SumsEngine& sums, const Problem& p, Direction d, const Operands& ops,
                                        const std::string& origin) {
  const bool bias = d == Direction::fwd && p.bias && ops.b != nullptr;
  const Operands taps{ops.x, ops.w, nullptr, ops.dy};
  Reference r;
  r.dims = p.output_dims(d);
  std::optional<ReferenceArray<double>> value = sums(p, d, taps, false);
  if (!value) return std::nullopt;
  std::optional<ReferenceArray<double>> abs_sum = sums(p, d, taps, true);
  if (!abs_sum) return std::nullopt;
  std::optional<ReferenceArray<std::int32_t>> terms = term_counts(sums, p, d, value->size());
  if (!terms || value->empty()) return std::nullopt;
  r.value = std::move(*value);
  r.abs_sum = std::move(*abs_sum);
  r.terms = std::move(*terms);
  if (bias) {
    r.pre_bias = r.value;
    const auto plane = static_cast<std::size_t>(p.h_out() * p.w_out());
    for (std::size_t q = 0; q * plane < r.value.size(); ++q) {  // the (image, channel) planes of y
      const double bi = ops.b->get(static_cast<std::int64_t>(q) % p.c_out);
      for (std::size_t i = q * plane; i < (q + 1) * plane; ++i) {
        r.value[i] += bi;
        r.abs_sum[i] += std::fabs(bi);
        r.terms[i] += 1;
      }
    }
  }
  r.origin = origin;
  return r;
}

SumsEngine widened_backend_sums(Backend& backend, Status* failure) {
  return [&backend, failure](const Problem& p, Direction d, const Operands& ops,
                             bool magnitudes) -> std::optional<ReferenceArray<double>> {
    Problem wide = p;
    wide.dtype = DType::f64;
    wide.bias = false;
    const HostTensor x = widened(ops.x, magnitudes), w = widened(ops.w, magnitudes), dy = widened(ops.dy, magnitudes);
    HostTensor out = make_output(wide, d);
    const Operands wide_ops = with_output(Operands{ops.x ? &x : nullptr, ops.w ? &w : nullptr, nullptr, ops.dy ? &dy : nullptr}, d, out);
    Status status = backend.check(wide, d);
    RunContext ctx;
    if (status.ok()) status = backend.run(wide, d, wide_ops, ctx);
    if (!status.ok()) {
      if (failure) *failure = status;
      return std::nullopt;
    }
    const std::vector<double> values = out.logical_values();
    return ReferenceArray<double>(values.begin(), values.end());
  };
}

}  // namespace tconv
