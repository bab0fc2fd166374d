// A transpose of up to 16 rows of floats through AVX-512 registers (16 x 16 tiles, masked at
// the edges), for the packing steps of the direct gradients and the NHWC planes path.
#pragma once

#include <cstdint>

namespace tconv::openmp {

// dst[j * ldd + i] = src[i * lds + j] for i < rows <= 16, j < cols. Needs AVX-512F (callers
// check __builtin_cpu_supports("avx512f")).
void transpose16_avx512(const float* src, std::int64_t lds, std::int64_t rows, std::int64_t cols, float* dst,
                        std::int64_t ldd);

}  // namespace tconv::openmp
