#include "conformance/fill.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tconv {

namespace {

// splitmix64's finaliser: a bijective 64-bit mix, good enough to turn a counter into
// independent-looking bits. Counter-based, so a value depends only on (seed, operand, index).
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t bits_for(std::uint64_t seed, Operand which, std::uint64_t index, std::uint64_t stream) {
  const std::uint64_t operand_key = mix(mix(seed) ^ ((static_cast<std::uint64_t>(which) + 1) * 0xd1b54a32d192ed03ULL));
  return mix(operand_key ^ (index * 2 + stream));
}

// 53 random bits -> [0, 1).
double unit(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1p-53; }

std::int64_t longest_reduction(const Problem& p) {
  const std::int64_t fwd = p.c_in / p.groups * p.kh * p.kw + (p.bias ? 1 : 0);
  const std::int64_t bwd_data = p.c_out / p.groups * p.kh * p.kw;
  const std::int64_t bwd_weights = p.n * p.h_in * p.w_in;
  const std::int64_t bwd_bias = p.n * p.h_out() * p.w_out();
  return std::max({fwd, bwd_data, bwd_weights, bwd_bias, std::int64_t{1}});
}

// Integer fill (benchdnn's idea): every input is a nonzero integer in [-M, M], the same M for
// all operands, with M*M*K <= L for the longest reduction K of any direction (fwd counts the
// bias as one more term, |b*1| <= M*M). Every product and every partial sum is then an integer
// of magnitude <= L, so with L = 2^24 all of them are exact in f32 (and in an f32 accumulator
// over f16/bf16 inputs): any correct f32 backend returns the exact result and the expected
// error is 0. For f16 data L = 2^15 keeps the sums far from f16's overflow at 65504 (the
// stored f16 output may still round above 2048; the bound's u_out term covers that). M is at
// most 16, so inputs are exact in every dtype (bf16 holds integers up to 256). Zero is left
// out so every term counts: a dropped or duplicated term always changes some partial sum.
// When K > L even M = 1 cannot guarantee exactness (huge bwd_weights reductions).
std::int64_t integer_fill_bound(const Problem& p) {
  const double limit = p.dtype == DType::f16 ? 0x1p15 : 0x1p24;
  const double k = static_cast<double>(longest_reduction(p));
  const auto m = static_cast<std::int64_t>(std::floor(std::sqrt(limit / k)));
  return std::clamp<std::int64_t>(m, 1, 16);
}

// Exact fill (benchdnn's approach for low precision): as the integer fill, with the limit L the
// largest integer below which every integer is representable in the output type (2^11 for
// f16, 2^8 for bf16, 2^24 for f32, 2^53 for f64), so that every product, partial sum, pre-bias
// sum and result is exact in the output type itself: a backend that rounds intermediates to
// f16/bf16 (separate bias, split-K partials) or truncates while accumulating still returns the
// exact result. When even M = 1 cannot keep K*M*M <= L, the data operands x and dy are thinned:
// each element is nonzero with probability L / (2K), so a reduction holds about L/2 nonzero
// terms of random sign (exceeding L is then a many-sigma event, not a guarantee).
struct ExactFill {
  std::int64_t magnitude = 1;  // M: values in [-M, M] \ {0}
  double density = 1;          // of x and dy
};

ExactFill exact_fill(const Problem& p) {
  double limit = 0x1p24;
  if (p.dtype == DType::f16) limit = 0x1p11;
  if (p.dtype == DType::bf16) limit = 0x1p8;
  if (p.dtype == DType::f64) limit = 0x1p53;
  const double k = static_cast<double>(longest_reduction(p));
  ExactFill f;
  f.magnitude = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(std::sqrt(limit / k))), 1, 16);
  if (k > limit) f.density = limit / (2 * k);
  return f;
}

// Quantized problems (fill.h): the inclusive range of one operand's stored integers. x and w
// are uniform over their dtype around the zero point, narrowed to +-r with K*r*r <= 2^30, and
// the bias |b| <= sqrt(K)*r_x*r_w (<= 2^30 - 1): every exact accumulator then stays inside
// int32, so an int32-accumulating backend is exact too. For i8 the narrowing starts only
// beyond K = 65536 terms; for i16 at K = 2. `fill: integer` keeps r <= 4: small sums, so a
// requantization with a small shift lands on many exact ties (rounding-mode tests).
std::pair<std::int64_t, std::int64_t> integer_range(const Problem& p, Operand which, FillKind kind) {
  const std::int64_t lo = int_min(p.dtype), hi = int_max(p.dtype);
  const auto k = static_cast<double>(std::max<std::int64_t>(fwd_terms(p), 1));
  auto r = static_cast<std::int64_t>(std::floor(std::sqrt(0x1p30 / k)));
  if (kind == FillKind::integer) r = std::min<std::int64_t>(r, 4);
  auto around = [&](std::int64_t zp) { return std::pair{std::max(lo, zp - r), std::min(hi, zp + r)}; };
  if (which == Operand::x) return around(p.quant.zp_x);
  if (which == Operand::w) return around(p.quant.zp_w);
  if (which == Operand::dy) return {lo, hi};  // unused: integer problems are fwd only
  auto span = [&](std::int64_t zp) {
    auto [a, b] = around(zp);
    return static_cast<double>(std::max(b - zp, zp - a));
  };
  const double bound = std::min(std::ceil(std::sqrt(k) * span(p.quant.zp_x) * span(p.quant.zp_w)), 0x1p30 - 1);
  const auto m = static_cast<std::int64_t>(bound);
  return {-m, m};
}

void fill_integer(HostTensor& t, Operand which, const Problem& p, const FillSpec& spec) {
  const auto [lo, hi] = integer_range(p, which, spec.kind);
  const auto count = static_cast<std::uint64_t>(hi - lo + 1);
  std::uint64_t index = 0;
  for_each_index(t.dims(), [&](const Dims& i) {
    // Modulo bias is below 2^-30 for these ranges: irrelevant for a test fill.
    t.put(i, static_cast<double>(lo + static_cast<std::int64_t>(bits_for(spec.seed, which, index, 0) % count)));
    ++index;
  });
}

}  // namespace

void fill_operand(HostTensor& t, Operand which, const Problem& p, const FillSpec& spec) {
  if (spec.kind == FillKind::golden) {
    t.fill(0.0);
    return;
  }
  if (is_integer(p.dtype)) {
    fill_integer(t, which, p, spec);
    return;
  }
  const ExactFill exact = spec.kind == FillKind::exact ? exact_fill(p) : ExactFill{};
  const std::int64_t m = spec.kind == FillKind::integer ? integer_fill_bound(p) : exact.magnitude;
  const bool thinned = which == Operand::x || which == Operand::dy;
  std::uint64_t index = 0;  // logical C-order position: independent of the layout
  for_each_index(t.dims(), [&](const Dims& i) {
    const std::uint64_t b0 = bits_for(spec.seed, which, index, 0);
    double v = 0;
    switch (spec.kind) {
      case FillKind::uniform: v = 2.0 * unit(b0) - 1.0; break;
      case FillKind::normal: {
        // Box-Muller on two independent streams; 1 - unit() is in (0, 1], so log() is finite.
        const double u1 = 1.0 - unit(b0), u2 = unit(bits_for(spec.seed, which, index, 1));
        v = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
        break;
      }
      case FillKind::exact:
        if (thinned && exact.density < 1 && unit(bits_for(spec.seed, which, index, 1)) >= exact.density) break;
        [[fallthrough]];
      case FillKind::integer: {
        const auto magnitude = static_cast<std::int64_t>((b0 >> 1) % static_cast<std::uint64_t>(m)) + 1;
        v = static_cast<double>((b0 & 1) ? -magnitude : magnitude);
        break;
      }
      case FillKind::golden: break;
    }
    t.put(i, v);  // rounds to t's dtype: the stored value is the one every backend sees
    ++index;
  });
}

Operands InputSet::operands() const {
  Operands o;
  o.x = &x;
  o.w = &w;
  o.b = b.empty() ? nullptr : &b;
  o.dy = &dy;
  return o;
}

InputSet make_inputs(const Problem& p, const FillSpec& spec) {
  InputSet s;
  s.x = HostTensor(p.dtype, p.layout, p.x_dims());
  s.w = HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups);
  s.dy = HostTensor(p.dtype, p.layout, p.y_dims());
  fill_operand(s.x, Operand::x, p, spec);
  fill_operand(s.w, Operand::w, p, spec);
  fill_operand(s.dy, Operand::dy, p, spec);
  if (p.bias) {
    s.b = HostTensor(bias_dtype(p), Layout::X, p.b_dims());
    fill_operand(s.b, Operand::b, p, spec);
  }
  return s;
}

HostTensor make_output(const Problem& p, Direction d) {
  const Layout layout = d == Direction::bwd_weights ? p.weight_layout : d == Direction::bwd_bias ? Layout::X : p.layout;
  HostTensor t(p.dtype, layout, p.output_dims(d), d == Direction::bwd_weights ? p.groups : 1);
  t.poison();
  return t;
}

Operands with_output(Operands in, Direction d, HostTensor& out) {
  switch (d) {
    case Direction::fwd: in.y = &out; break;
    case Direction::bwd_data: in.dx = &out; break;
    case Direction::bwd_weights: in.dw = &out; break;
    case Direction::bwd_bias: in.db = &out; break;
  }
  return in;
}

}  // namespace tconv
