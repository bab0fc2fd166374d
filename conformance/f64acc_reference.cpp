#include "conformance/f64acc_reference.h"

#include <cmath>
#include <functional>

#ifdef TCONV_HAVE_F64ACC
#include <omp.h>

#include "backends/openmp/f64acc.h"
#include "conformance/fill.h"
#endif

namespace tconv {

#ifdef TCONV_HAVE_F64ACC
namespace {

// A copy of t with every stored value replaced by f(value): exact for |v| and 1 in every
// float dtype.
HostTensor mapped(const HostTensor& t, const std::function<double(double)>& f) {
  HostTensor out = t;
  for (std::int64_t i = 0; i < out.numel(); ++i) out.set(i, f(out.get(i)));
  return out;
}

struct MappedInputs {
  HostTensor x, w, b, dy;
  Operands operands() const {
    return Operands{x.numel() ? &x : nullptr, w.numel() ? &w : nullptr, b.numel() ? &b : nullptr,
                    dy.numel() ? &dy : nullptr};
  }
};

// Only what direction d reads (fwd: x, w, b; bwd_data: dy, w; bwd_weights: x, dy; bwd_bias:
// dy); the bias as zeros: the caller adds it.
MappedInputs map_inputs(const Operands& ops, Direction d, const std::function<double(double)>& f) {
  const bool fwd = d == Direction::fwd;
  MappedInputs m;
  if (ops.x && (fwd || d == Direction::bwd_weights)) m.x = mapped(*ops.x, f);
  if (ops.w && (fwd || d == Direction::bwd_data)) m.w = mapped(*ops.w, f);
  if (ops.b && fwd) m.b = mapped(*ops.b, [](double) { return 0.0; });
  if (ops.dy && !fwd) m.dy = mapped(*ops.dy, f);
  return m;
}

}  // namespace
#endif

std::optional<Reference> f64acc_reference(const Problem& p, Direction d, const Operands& ops) {
#ifdef TCONV_HAVE_F64ACC
  if (is_integer(p.dtype) || !openmp::f64acc_supports(p.dtype)) return std::nullopt;
  const int threads = omp_get_max_threads();
  openmp::Workspace ws;
  openmp::F64Operands f;
  HostTensor out = make_output(p, d);
  // f.out holds the f64 sums in logical C order, before their rounding into `out`.
  auto sums = [&](const Operands& in) -> std::vector<double> {
    if (!openmp::f64acc_run(p, d, with_output(in, d, out), threads, ws, f).ok()) return {};
    return std::vector<double>(f.out.begin(), f.out.begin() + out.numel());
  };
  const bool bias = d == Direction::fwd && p.bias && ops.b != nullptr;
  const auto same = [](double v) { return v; };
  const auto magnitude = [](double v) { return std::fabs(v); };
  const auto one = [](double) { return 1.0; };

  Reference r;
  r.dims = out.dims();
  // The taps' sum first, then the bias added once, as the oracle adds it.
  r.value = sums(map_inputs(ops, d, same).operands());
  r.abs_sum = sums(map_inputs(ops, d, magnitude).operands());
  const std::vector<double> count = sums(map_inputs(ops, d, one).operands());
  if (r.value.empty() || r.abs_sum.empty() || count.empty()) return std::nullopt;
  r.terms.resize(count.size());
  for (std::size_t i = 0; i < count.size(); ++i) r.terms[i] = static_cast<std::int32_t>(std::lround(count[i]));
  if (bias) {
    r.pre_bias = r.value;
    const std::int64_t plane = p.h_out() * p.w_out();
    for (std::size_t i = 0; i < r.value.size(); ++i) {
      const double b = ops.b->get((static_cast<std::int64_t>(i) / plane) % p.c_out);
      r.value[i] += b;
      r.abs_sum[i] += std::fabs(b);
      r.terms[i] += 1;
    }
  }
  r.origin = "openmp:f64acc";
  return r;
#else
  (void)p, (void)d, (void)ops;
  return std::nullopt;
#endif
}

}  // namespace tconv
