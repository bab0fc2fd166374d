#include "conformance/f64acc_reference.h"

#include <bit>
#include <cmath>

#ifdef TCONV_HAVE_F64ACC
#include <omp.h>

#include "backends/openmp/f64acc.h"
#include "conformance/fill.h"
#endif

namespace tconv {

#ifdef TCONV_HAVE_F64ACC
namespace {

// |v| of every element, exactly: the sign bit cleared, the top bit of each element's last
// byte in every float format the oracle takes (f64, f32, f16, bf16) on a little-endian host.
HostTensor magnitudes(const HostTensor& t) {
  static_assert(std::endian::native == std::endian::little);
  HostTensor out = t;
  const std::size_t size = dtype_size(t.dtype());
  auto* bytes = static_cast<unsigned char*>(out.data());
  for (std::size_t i = size - 1; i < out.bytes(); i += size) bytes[i] &= 0x7f;
  return out;
}

// The f64 sums of one f64acc run, in logical C order (before their rounding into `out`).
class Sums {
 public:
  Sums(const Problem& p, Direction d) : p_(p), d_(d), out_(make_output(p, d)) {}
  std::vector<double> operator()(const Operands& in) {
    if (!openmp::f64acc_run(p_, d_, with_output(in, d_, out_), omp_get_max_threads(), ws_, f_).ok()) return {};
    return std::vector<double>(f_.out.begin(), f_.out.begin() + out_.numel());
  }
  const Dims& dims() const { return out_.dims(); }

 private:
  const Problem& p_;
  Direction d_;
  HostTensor out_;
  openmp::Workspace ws_;
  openmp::F64Operands f_;
};

HostTensor ones(DType t, Layout layout, const Dims& dims) {
  HostTensor out(t, layout, dims);
  for (std::int64_t i = 0; i < out.numel(); ++i) out.set(i, 1.0);
  return out;
}

// K of every element: the taps that reach it (they depend on the geometry alone, so f64acc
// counts them over ones on the problem cut to one image and one channel) times the channels
// (fwd: C_in/g, bwd_data: C_out/g) or images (bwd_weights) each tap sums over.
std::vector<std::int32_t> term_counts(const Problem& p, Direction d, std::size_t elements) {
  std::vector<std::int32_t> terms(elements);
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
  const HostTensor x = ones(q.dtype, q.layout, q.x_dims()), w = ones(q.dtype, q.weight_layout, q.w_dims()),
                   dy = ones(q.dtype, q.layout, q.y_dims());
  const std::vector<double> taps = Sums(q, d)(Operands{&x, &w, nullptr, &dy});
  if (taps.empty()) return {};
  const std::int64_t per_tap = d == Direction::fwd       ? p.c_in / p.groups
                               : d == Direction::bwd_data ? p.c_out / p.groups
                                                          : p.n;
  const std::size_t plane = taps.size();  // one image and channel of the output
  for (std::size_t i = 0; i < elements; ++i)
    terms[i] = static_cast<std::int32_t>(std::lround(taps[i % plane]) * per_tap);
  return terms;
}

}  // namespace
#endif

std::optional<Reference> f64acc_reference(const Problem& p, Direction d, const Operands& ops) {
#ifdef TCONV_HAVE_F64ACC
  if (is_integer(p.dtype) || !openmp::f64acc_supports(p.dtype)) return std::nullopt;
  const bool fwd = d == Direction::fwd;
  const bool bias = fwd && p.bias && ops.b != nullptr;
  // The taps' sums without the bias, which is added afterwards as the oracle adds it.
  HostTensor zero_bias;
  if (bias) {
    zero_bias = *ops.b;
    for (std::int64_t i = 0; i < zero_bias.numel(); ++i) zero_bias.set(i, 0.0);
  }
  const HostTensor* b = bias ? &zero_bias : nullptr;
  Sums sums(p, d);
  Reference r;
  r.dims = sums.dims();
  r.value = sums(Operands{ops.x, ops.w, b, ops.dy});
  // S: the same sums over |operands| (only those the direction reads).
  HostTensor abs_x, abs_w, abs_dy;
  if (ops.x && (fwd || d == Direction::bwd_weights)) abs_x = magnitudes(*ops.x);
  if (ops.w && (fwd || d == Direction::bwd_data)) abs_w = magnitudes(*ops.w);
  if (ops.dy && !fwd) abs_dy = magnitudes(*ops.dy);
  r.abs_sum = sums(Operands{&abs_x, &abs_w, b, &abs_dy});
  r.terms = term_counts(p, d, r.value.size());
  if (r.value.empty() || r.abs_sum.empty() || r.terms.empty()) return std::nullopt;
  if (bias) {
    r.pre_bias = r.value;
    const std::int64_t plane = p.h_out() * p.w_out();
    for (std::size_t i = 0; i < r.value.size(); ++i) {
      const double bi = ops.b->get((static_cast<std::int64_t>(i) / plane) % p.c_out);
      r.value[i] += bi;
      r.abs_sum[i] += std::fabs(bi);
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
