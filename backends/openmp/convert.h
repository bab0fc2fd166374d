// Conversions between the stored operands and the f32 buffers the kernels work on:
// f16/bf16 <-> f32 (round to nearest even, like backends/api/dtype.h, but fast), and weights
// from any weight layout into the GEMM-friendly IOHW / IHWO matrices and back.
#pragma once

#include <bit>
#include <cstdint>

#include "backends/api/problem.h"
#include "backends/api/tensor.h"

namespace tconv::openmp {

inline float bf16_to_float(std::uint16_t h) { return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16); }

inline float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  if (exp == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
  if (exp == 0) {  // zero or subnormal: mant * 2^-24 is exact in f32
    const float v = static_cast<float>(mant) * 0x1p-24f;
    return sign ? -v : v;
  }
  return std::bit_cast<float>(sign | ((exp + 112) << 23) | (mant << 13));
}

std::uint16_t float_to_half(float f);
std::uint16_t float_to_bf16(float f);

// dst[i] = src[i] for count elements of `src` stored as `t` (f32, f16 or bf16).
void load_f32(const void* src, DType t, std::int64_t count, float* dst);
// dst[i] = round(src[i]) into `t`.
void store_f32(const float* src, DType t, std::int64_t count, void* dst);

// Weights as a matrix per the layout the GEMM wants (`target` is IOHW: [C_in][C_out/g][kH][kW],
// or IHWO: [C_in][kH][kW][C_out/g]), f32, from a tensor of any weight layout and dtype.
void weights_to_f32(const HostTensor& w, std::int64_t groups, Layout target, float* dst);
// The reverse: a packed f32 IOHW / IHWO matrix into a weight tensor of any layout and dtype.
void weights_from_f32(const float* src, Layout source, std::int64_t groups, HostTensor& w);

}  // namespace tconv::openmp
