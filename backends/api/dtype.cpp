#include "backends/api/dtype.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace tconv {

std::string_view to_string(DType t) {
  switch (t) {
    case DType::f32: return "f32";
    case DType::f64: return "f64";
    case DType::f16: return "f16";
    case DType::bf16: return "bf16";
    case DType::i8: return "i8";
    case DType::i16: return "i16";
    case DType::i32: return "i32";
  }
  return "?";
}

std::optional<DType> parse_dtype(std::string_view s) {
  for (DType t : {DType::f32, DType::f64, DType::f16, DType::bf16, DType::i8, DType::i16, DType::i32})
    if (to_string(t) == s) return t;
  return std::nullopt;
}

bool is_integer(DType t) { return t == DType::i8 || t == DType::i16 || t == DType::i32; }

std::int64_t int_min(DType t) {
  switch (t) {
    case DType::i8: return std::numeric_limits<std::int8_t>::min();
    case DType::i16: return std::numeric_limits<std::int16_t>::min();
    case DType::i32: return std::numeric_limits<std::int32_t>::min();
    default: return 0;
  }
}

std::int64_t int_max(DType t) {
  switch (t) {
    case DType::i8: return std::numeric_limits<std::int8_t>::max();
    case DType::i16: return std::numeric_limits<std::int16_t>::max();
    case DType::i32: return std::numeric_limits<std::int32_t>::max();
    default: return 0;
  }
}

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::f64: return 8;
    case DType::f16:
    case DType::bf16:
    case DType::i16: return 2;
    case DType::i8: return 1;
    case DType::i32: return 4;
  }
  return 0;
}

namespace {

struct Format {
  int precision;  // significand bits incl. the implicit one
  int min_exp;    // exponent of the smallest normal number
  int max_exp;    // exponent of the largest finite number
};

Format format_of(DType t) {
  switch (t) {
    case DType::f64: return {53, -1022, 1023};
    case DType::f32: return {24, -126, 127};
    case DType::f16: return {11, -14, 15};
    case DType::bf16: return {8, -126, 127};
    default: return {53, -1022, 1023};
  }
}

// Nearest integer, ties to even, saturated: the one defined conversion into integer storage.
double round_to_integer(double v, DType t) {
  if (std::isnan(v)) return 0.0;
  return std::clamp(std::nearbyint(v), static_cast<double>(int_min(t)), static_cast<double>(int_max(t)));
}

}  // namespace

double unit_roundoff(DType t) { return is_integer(t) ? 0.0 : std::ldexp(1.0, -format_of(t).precision); }

double round_to(double v, DType t) {
  if (is_integer(t)) return round_to_integer(v, t);
  if (t == DType::f64 || !std::isfinite(v) || v == 0.0) return v;
  const Format f = format_of(t);
  const int e = std::max(std::ilogb(v), f.min_exp);  // subnormals share the smallest quantum
  const double quantum = std::ldexp(1.0, e - (f.precision - 1));
  // v / quantum is exact (a power-of-two scaling); nearbyint rounds ties to even.
  const double r = std::nearbyint(v / quantum) * quantum;
  const double max_finite = std::ldexp(2.0 - std::ldexp(1.0, 1 - f.precision), f.max_exp);
  if (std::fabs(r) > max_finite) return std::copysign(std::numeric_limits<double>::infinity(), v);
  return r;
}

std::uint16_t float_to_half_bits(double v) {
  const std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  if (std::isnan(v)) return sign | 0x7e00;
  const double r = std::fabs(round_to(v, DType::f16));
  if (std::isinf(r)) return sign | 0x7c00;
  if (r == 0.0) return sign;
  int e = std::ilogb(r);
  if (e < -14) return sign | static_cast<std::uint16_t>(std::ldexp(r, 24));  // subnormal: r / 2^-24
  const auto mant = static_cast<std::uint16_t>(std::ldexp(r, 10 - e) - 1024.0);
  return sign | static_cast<std::uint16_t>((e + 15) << 10) | mant;
}

double half_bits_to_double(std::uint16_t bits) {
  const double sign = (bits & 0x8000) ? -1.0 : 1.0;
  const int exp = (bits >> 10) & 0x1f;
  const int mant = bits & 0x3ff;
  if (exp == 0x1f) return mant ? std::numeric_limits<double>::quiet_NaN() : sign * INFINITY;
  if (exp == 0) return sign * std::ldexp(mant, -24);
  return sign * std::ldexp(1024 + mant, exp - 25);
}

std::uint16_t float_to_bf16_bits(double v) {
  if (std::isnan(v)) return std::signbit(v) ? 0xffc0 : 0x7fc0;
  // round_to gives a value exactly representable in bf16, hence also in f32.
  const float r = static_cast<float>(round_to(v, DType::bf16));
  return static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(r) >> 16);
}

double bf16_bits_to_double(std::uint16_t bits) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

double load_element(const void* p, DType t) {
  switch (t) {
    case DType::f32: { float v; std::memcpy(&v, p, 4); return v; }
    case DType::f64: { double v; std::memcpy(&v, p, 8); return v; }
    case DType::f16: { std::uint16_t b; std::memcpy(&b, p, 2); return half_bits_to_double(b); }
    case DType::bf16: { std::uint16_t b; std::memcpy(&b, p, 2); return bf16_bits_to_double(b); }
    case DType::i8: { std::int8_t v; std::memcpy(&v, p, 1); return v; }
    case DType::i16: { std::int16_t v; std::memcpy(&v, p, 2); return v; }
    case DType::i32: { std::int32_t v; std::memcpy(&v, p, 4); return v; }
  }
  return 0.0;
}

void store_element(void* p, DType t, double v) {
  switch (t) {
    case DType::f32: {
      // Via round_to so that f64 -> f32 is one correctly rounded step (overflow -> Inf).
      const float f = static_cast<float>(round_to(v, DType::f32));
      std::memcpy(p, &f, 4);
      return;
    }
    case DType::f64: std::memcpy(p, &v, 8); return;
    case DType::f16: { const auto b = float_to_half_bits(v); std::memcpy(p, &b, 2); return; }
    case DType::bf16: { const auto b = float_to_bf16_bits(v); std::memcpy(p, &b, 2); return; }
    case DType::i8: { const auto i = static_cast<std::int8_t>(round_to(v, t)); std::memcpy(p, &i, 1); return; }
    case DType::i16: { const auto i = static_cast<std::int16_t>(round_to(v, t)); std::memcpy(p, &i, 2); return; }
    case DType::i32: { const auto i = static_cast<std::int32_t>(round_to(v, t)); std::memcpy(p, &i, 4); return; }
  }
}

}  // namespace tconv
