// Element types and their storage conversions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tconv {

// Storage type of a tensor. Low-precision types are stored as their bit patterns
// (uint16_t) and converted with round-to-nearest-even; NaN and Inf are preserved.
// i8 / i16 are the quantized problem dtypes (fwd only, int32 bias, declared requantization:
// problem.h); i32 is storage for their bias only. New values go at the end: the plugin C ABI
// passes the enum's value and knows only the first four.
enum class DType : std::uint8_t { f32, f64, f16, bf16, i8, i16, i32 };

// The floating-point dtypes: what "every dtype" sweeps, tests and backends mean. Integer
// dtypes are opt-in (kIntDTypes) because they need a requantization and run fwd only.
inline constexpr DType kAllDTypes[] = {DType::f32, DType::f64, DType::f16, DType::bf16};
inline constexpr DType kIntDTypes[] = {DType::i8, DType::i16};

std::string_view to_string(DType t);
std::optional<DType> parse_dtype(std::string_view s);
std::size_t dtype_size(DType t);

// Integer storage types hold exact integers; their range is [int_min, int_max].
bool is_integer(DType t);
std::int64_t int_min(DType t);  // 0 for floating-point types
std::int64_t int_max(DType t);

// Unit roundoff (half an ulp of 1) of the type: 2^-24 for f32, 2^-53 for f64, ... and 0 for
// integer types (exact storage: their comparison is exact, see conformance/compare.h).
double unit_roundoff(DType t);

// Rounds v to the nearest value representable in t (ties to even; overflow -> +-Inf;
// subnormals kept; NaN stays NaN). The result is exactly representable in t.
// Integer types: nearest integer (ties to even), saturated to the range; NaN -> 0.
double round_to(double v, DType t);

std::uint16_t float_to_half_bits(double v);
double half_bits_to_double(std::uint16_t bits);
std::uint16_t float_to_bf16_bits(double v);
double bf16_bits_to_double(std::uint16_t bits);

// Reads / writes one element of type t at p (p points at the element).
double load_element(const void* p, DType t);
void store_element(void* p, DType t, double v);

}  // namespace tconv
