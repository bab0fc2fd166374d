#include "backends/openmp/convert.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace tconv::openmp {

std::uint16_t float_to_half(float f) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  const std::uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u) return sign | (ax > 0x7f800000u ? 0x7e00 : 0x7c00);
  if (ax >= 0x477ff000u) return sign | 0x7c00;  // >= 65520 rounds (ties to even) to Inf
  if (ax < 0x38800000u) {                       // below 2^-14: a subnormal (or 0) quantum 2^-24
    const float units = std::bit_cast<float>(ax) * 0x1p24f;  // exact scaling
    return sign | static_cast<std::uint16_t>(std::nearbyint(units));  // 1024 encodes 2^-14
  }
  // Round the 13 dropped bits to nearest even; a carry correctly bumps the exponent.
  const std::uint32_t r = (ax + 0xfffu + ((ax >> 13) & 1u)) >> 13;
  return sign | static_cast<std::uint16_t>(r - (112u << 10));
}

std::uint16_t float_to_bf16(float f) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((x >> 16) | 0x40u);  // quiet NaN
  return static_cast<std::uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

void load_f32(const void* src, DType t, std::int64_t count, float* dst) {
  switch (t) {
    case DType::f32: std::memcpy(dst, src, static_cast<std::size_t>(count) * 4); return;
    case DType::f16: {
      const auto* s = static_cast<const std::uint16_t*>(src);
      for (std::int64_t i = 0; i < count; ++i) dst[i] = half_to_float(s[i]);
      return;
    }
    case DType::bf16: {
      const auto* s = static_cast<const std::uint16_t*>(src);
      for (std::int64_t i = 0; i < count; ++i) dst[i] = bf16_to_float(s[i]);
      return;
    }
    case DType::f64: {  // not a backend dtype; kept total for the tests
      const auto* s = static_cast<const double*>(src);
      for (std::int64_t i = 0; i < count; ++i) dst[i] = static_cast<float>(s[i]);
      return;
    }
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
}

void store_f32(const float* src, DType t, std::int64_t count, void* dst) {
  switch (t) {
    case DType::f32: std::memcpy(dst, src, static_cast<std::size_t>(count) * 4); return;
    case DType::f16: {
      auto* d = static_cast<std::uint16_t*>(dst);
      for (std::int64_t i = 0; i < count; ++i) d[i] = float_to_half(src[i]);
      return;
    }
    case DType::bf16: {
      auto* d = static_cast<std::uint16_t*>(dst);
      for (std::int64_t i = 0; i < count; ++i) d[i] = float_to_bf16(src[i]);
      return;
    }
    case DType::f64: {
      auto* d = static_cast<double*>(dst);
      for (std::int64_t i = 0; i < count; ++i) d[i] = src[i];
      return;
    }
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
}

namespace {

// offset(ci, o, kh, kw) = base(ci) + o*so + kh*skh + kw*skw for every weight layout (within a
// group for OIHW_FLIPPED, whose spatial strides are negative).
struct WeightStrides {
  Layout layout;
  Dims d;  // logical [C_in, C_out/g, kH, kW]
  std::int64_t groups;
  std::int64_t so = 0, skh = 0, skw = 0;

  WeightStrides(Layout l, const Dims& dims, std::int64_t g) : layout(l), d(dims), groups(g) {
    const std::int64_t ci = d[0], o = d[1], kh = d[2], kw = d[3];
    switch (l) {
      case Layout::IOHW: so = kh * kw; skh = kw; skw = 1; break;
      case Layout::IHWO: so = 1; skh = kw * o; skw = o; break;
      case Layout::HWOI: so = ci; skh = kw * o * ci; skw = o * ci; break;
      case Layout::OIHW_FLIPPED: so = (ci / g) * kh * kw; skh = -kw; skw = -1; break;
      default: break;
    }
  }
  std::int64_t base(std::int64_t ci) const {
    const std::int64_t o = d[1], kh = d[2], kw = d[3];
    switch (layout) {
      case Layout::IOHW: return ci * o * kh * kw;
      case Layout::IHWO: return ci * kh * kw * o;
      case Layout::HWOI: return ci;
      case Layout::OIHW_FLIPPED: {
        const std::int64_t per_group = d[0] / groups, g = ci / per_group;
        return ((g * o) * per_group + ci % per_group) * kh * kw + (kh - 1) * kw + (kw - 1);
      }
      default: return 0;
    }
  }
};

template <class F>
void for_each_weight(const Dims& d, const WeightStrides& s, Layout packed, F&& f) {
  const WeightStrides p(packed, d, 1);
  for (std::int64_t ci = 0; ci < d[0]; ++ci) {
    const std::int64_t sb = s.base(ci), pb = p.base(ci);
    for (std::int64_t o = 0; o < d[1]; ++o)
      for (std::int64_t kh = 0; kh < d[2]; ++kh)
        for (std::int64_t kw = 0; kw < d[3]; ++kw)
          f(sb + o * s.so + kh * s.skh + kw * s.skw, pb + o * p.so + kh * p.skh + kw * p.skw);
  }
}

float load_one(const void* base, DType t, std::int64_t i) {
  switch (t) {
    case DType::f32: return static_cast<const float*>(base)[i];
    case DType::f16: return half_to_float(static_cast<const std::uint16_t*>(base)[i]);
    case DType::bf16: return bf16_to_float(static_cast<const std::uint16_t*>(base)[i]);
    case DType::f64: return static_cast<float>(static_cast<const double*>(base)[i]);
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
  return 0.0f;
}

void store_one(void* base, DType t, std::int64_t i, float v) {
  switch (t) {
    case DType::f32: static_cast<float*>(base)[i] = v; return;
    case DType::f16: static_cast<std::uint16_t*>(base)[i] = float_to_half(v); return;
    case DType::bf16: static_cast<std::uint16_t*>(base)[i] = float_to_bf16(v); return;
    case DType::f64: static_cast<double*>(base)[i] = v; return;
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
}

}  // namespace

void weights_to_f32(const HostTensor& w, std::int64_t groups, Layout target, float* dst) {
  const WeightStrides s(w.layout(), w.dims(), groups);
  const void* src = w.data();
  const DType t = w.dtype();
  for_each_weight(w.dims(), s, target, [&](std::int64_t si, std::int64_t di) { dst[di] = load_one(src, t, si); });
}

void weights_from_f32(const float* src, Layout source, std::int64_t groups, HostTensor& w) {
  const WeightStrides s(w.layout(), w.dims(), groups);
  void* dst = w.data();
  const DType t = w.dtype();
  for_each_weight(w.dims(), s, source, [&](std::int64_t wi, std::int64_t si) { store_one(dst, t, wi, src[si]); });
}

}  // namespace tconv::openmp
