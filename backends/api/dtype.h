// Element types and their storage conversions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tconv {

// Storage type of a tensor. Low-precision types are stored as their bit patterns
// (uint16_t) and converted with round-to-nearest-even; NaN and Inf are preserved.
enum class DType : std::uint8_t { f32, f64, f16, bf16 };

inline constexpr DType kAllDTypes[] = {DType::f32, DType::f64, DType::f16, DType::bf16};

std::string_view to_string(DType t);
std::optional<DType> parse_dtype(std::string_view s);
std::size_t dtype_size(DType t);

// Unit roundoff (half an ulp of 1) of the type: 2^-24 for f32, 2^-53 for f64, ...
double unit_roundoff(DType t);

// Rounds v to the nearest value representable in t (ties to even; overflow -> +-Inf;
// subnormals kept; NaN stays NaN). The result is exactly representable in t.
double round_to(double v, DType t);

std::uint16_t float_to_half_bits(double v);
double half_bits_to_double(std::uint16_t bits);
std::uint16_t float_to_bf16_bits(double v);
double bf16_bits_to_double(std::uint16_t bits);

// Reads / writes one element of type t at p (p points at the element).
double load_element(const void* p, DType t);
void store_element(void* p, DType t, double v);

}  // namespace tconv
