// Tensor-core fragment coordinates of mma.sync.aligned.m16n8k16 (f16/bf16 inputs, f32
// accumulators), as the PTX ISA documents them ("Matrix Fragments for mma.m16n8k16 with
// floating point type"). The kernels and the host emulator both place every element through
// these functions, so a wrong coordinate fails the CPU tests instead of silently on a GPU.
#pragma once

#include <cstdint>

#include "backends/cuda/geometry.h"

namespace tconv::cuda::mma {

struct RowCol {
  int row, col;
};

// Lanes form 8 groups of 4: groupID = lane >> 2, threadID_in_group = lane % 4.
// A is 16x16 (row-major operand), 8 elements per lane in 4 registers of 2 halves each:
// element i sits in register i/2, low half first.
TCONV_HD RowCol frag_a(int lane, int i) {
  const int group = lane >> 2, tig = lane & 3;
  const int row = group + ((i & 2) ? 8 : 0);             // a2,a3,a6,a7: lower half of the tile
  const int col = tig * 2 + (i & 1) + ((i & 4) ? 8 : 0);  // a4..a7: right half
  return {row, col};
}

// B is 16x8 (K x N, column operand), 4 elements per lane in 2 registers.
TCONV_HD RowCol frag_b(int lane, int i) {
  const int group = lane >> 2, tig = lane & 3;
  return {tig * 2 + (i & 1) + ((i & 2) ? 8 : 0), group};
}

// C/D is 16x8 f32, 4 elements per lane.
TCONV_HD RowCol frag_c(int lane, int i) {
  const int group = lane >> 2, tig = lane & 3;
  return {group + ((i & 2) ? 8 : 0), tig * 2 + (i & 1)};
}

#if defined(__CUDACC__)
// D = A*B + D on one warp. `Bf16` selects the bf16 input type, else f16. The registers are
// 32-bit pairs of 16-bit values (element 2j in the low half).
template <bool Bf16>
__device__ __forceinline__ void mma_16816(float (&d)[4], const std::uint32_t (&a)[4], const std::uint32_t (&b)[2]) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  if constexpr (Bf16) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  } else {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  }
#else
  (void)d, (void)a, (void)b;
  __trap();  // built only for sm_80+; never reached on the targeted architectures
#endif
}
#endif

}  // namespace tconv::cuda::mma
