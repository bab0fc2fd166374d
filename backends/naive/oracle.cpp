#include "backends/naive/oracle.h"

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "backends/naive/oracle_parts.h"

namespace tconv {

namespace oracle {

int max_threads() {
#if defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

const float* logical_floats(const HostTensor* t) {
  const bool logical_order = t && (t->layout() == Layout::NCHW || t->layout() == Layout::IOHW || t->layout() == Layout::X);
  return logical_order && t->dtype() == DType::f32 ? t->as<float>() : nullptr;
}

namespace {

// f32 in logical order (the common case) is widened by both threads; anything else goes
// through HostTensor::logical_values.
Doubles logical_doubles(const HostTensor& t) {
  Doubles v(static_cast<std::size_t>(t.numel()));
  if (const float* f = logical_floats(&t)) {
    const auto n = static_cast<std::int64_t>(v.size());
#pragma omp parallel for schedule(static) if (worth_threads(static_cast<double>(n)))
    for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = f[i];
    return v;
  }
  const std::vector<double> values = t.logical_values();
  std::copy(values.begin(), values.end(), v.data());
  return v;
}

}  // namespace

Canon canonical_inputs(const Problem& p, Direction d, const Operands& ops, InPlace in_place) {
  Canon c;
  const bool reads_x = d == Direction::fwd || d == Direction::bwd_weights;
  const bool reads_w = d == Direction::fwd || d == Direction::bwd_data;
  if (reads_x && ops.x) {
    c.x32 = in_place.x ? logical_floats(ops.x) : nullptr;
    if (!c.x32) c.x = logical_doubles(*ops.x);
  }
  if (reads_w && ops.w) c.w = logical_doubles(*ops.w);
  if (d == Direction::fwd && p.bias && ops.b) c.b = logical_doubles(*ops.b);
  if (d != Direction::fwd && ops.dy) {
    c.dy32 = in_place.dy ? logical_floats(ops.dy) : nullptr;
    if (!c.dy32) c.dy = logical_doubles(*ops.dy);
  }
  return c;
}

}  // namespace oracle

namespace {

// The Reference's shape and integer fields, its arrays sized for `count` elements.
Reference empty_reference(const Problem& p, Direction d, std::size_t count) {
  Reference r;
  r.dims = p.output_dims(d);
  if (is_integer(p.dtype)) {
    r.integer = true;
    r.acc_scale = std::ldexp(static_cast<double>(p.quant.multiplier), -static_cast<int>(p.quant.shift));
    if (d != Direction::fwd) {
      r.dims = {0, 0, 0, 0};
      return r;
    }
  }
  // Uninitialised: the loops write every element once, faulting the pages in as they go.
  r.value.resize(count);
  r.terms.resize(count);
  r.abs_sum.resize(count);
  if (d == Direction::fwd && p.bias && !r.integer) r.pre_bias.resize(count);
#if defined(__SANITIZE_ADDRESS__)
  // Sanitizer builds poison them, so an element a loop forgot fails the bitwise tests.
  std::fill(r.value.begin(), r.value.end(), std::nan(""));
  std::fill(r.abs_sum.begin(), r.abs_sum.end(), std::nan(""));
  std::fill(r.pre_bias.begin(), r.pre_bias.end(), std::nan(""));
  std::fill(r.terms.begin(), r.terms.end(), -1);
#endif
  return r;
}

std::int64_t element_count(const Problem& p, Direction d) {
  switch (d) {
    case Direction::fwd: return numel_y(p);
    case Direction::bwd_data: return numel_x(p);
    case Direction::bwd_weights: return numel_w(p);
    case Direction::bwd_bias: return p.c_out;
  }
  return 0;
}

void store(Reference& r, std::size_t at, const oracle::Element& a) {
  r.value[at] = a.value;
  r.abs_sum[at] = a.abs;
  r.terms[at] = a.terms;
  if (!r.pre_bias.empty()) r.pre_bias[at] = a.pre_bias;
}

}  // namespace

Reference compute_reference(const Problem& p, Direction d, const Operands& ops) {
  using namespace oracle;
  const Index ix(p);
  const std::int64_t count = element_count(p, d);
  Reference r = empty_reference(p, d, static_cast<std::size_t>(count));
  if (r.dims[0] == 0) return r;
  // bwd_bias reads dy once: f32 dy is summed in place, without a double copy.
  if (d == Direction::bwd_bias && ops.dy && logical_floats(ops.dy)) {
    backward_bias_floats(p, ix, logical_floats(ops.dy), r);
    return r;
  }
  const bool depthwise = ix.ig == 1 && ix.og == 1 && p.groups > 1;
  // The operands that the chosen loops widen from f32 as they read them, without a logical
  // copy: x for fwd (rows read it, pixels make a channel-last copy), dy likewise for
  // bwd_data, the channel-last operand of bwd_weights (x when og < ig, else dy), dy for
  // depthwise bwd_weights (which reads x from the copy).
  InPlace in_place;
  if (!r.integer) {
    in_place.x = d == Direction::fwd || (d == Direction::bwd_weights && !depthwise && ix.og < ix.ig);
    in_place.dy = d == Direction::bwd_data || (d == Direction::bwd_weights && (depthwise || ix.og >= ix.ig));
  }
  const Canon c = canonical_inputs(p, d, ops, in_place);
  if (r.integer) {  // small by nature (validate() bounds the accumulator): the definition itself
    const bool threads = worth_threads(static_cast<double>(count) * static_cast<double>(fwd_terms(p)));
#pragma omp parallel for schedule(static) if (threads)
    for (std::int64_t e = 0; e < count; ++e) store(r, static_cast<std::size_t>(e), element_sum(p, ix, c, d, e));
    return r;
  }
  switch (d) {
    case Direction::fwd: ix.og >= kChannelsInnermost ? forward_pixels(p, ix, c, r) : forward_rows(p, ix, c, r); break;
    case Direction::bwd_data:
      ix.ig >= kChannelsInnermost ? backward_data_pixels(p, ix, c, r) : backward_data_rows(p, ix, c, r);
      break;
    case Direction::bwd_weights: backward_weights_channels(p, ix, c, r); break;
    case Direction::bwd_bias: backward_bias_channels(p, ix, c, r); break;
  }
  return r;
}

Reference compute_sampled_reference(const Problem& p, Direction d, const Operands& ops,
                                    std::vector<std::int64_t> indices) {
  using namespace oracle;
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  const Index ix(p);
  // x and dy stored as f32 in logical order are read in place: a sample of a problem too large
  // for a full reference must not copy its largest operands into f64 (twice their bytes).
  const Canon c = canonical_inputs(p, d, ops, InPlace{true, true});
  Reference r = empty_reference(p, d, indices.size());
  if (r.dims[0] == 0) return r;
  const auto count = static_cast<std::int64_t>(indices.size());
#pragma omp parallel for schedule(dynamic, 16) if (count >= 64)
  for (std::int64_t i = 0; i < count; ++i)
    store(r, static_cast<std::size_t>(i), element_sum(p, ix, c, d, indices[static_cast<std::size_t>(i)]));
  r.sampled = std::move(indices);
  return r;
}

}  // namespace tconv
