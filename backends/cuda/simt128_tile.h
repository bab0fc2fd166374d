// The f32 CUDA-core tiling of the simt128 kernels (phase_simt128.cu, wgrad_simt128.cu): a
// 128 x 128 block tile, 8-deep k-steps, 256 threads with 8 x 8 accumulators each, operand
// tiles in shared memory k-major with rows padded to 132 floats, 3 cp.async stages. Pure
// integer maps, __host__ __device__: the kernel and the host emulator (simt128_emulate.h)
// call exactly these, and simt128_tile_test.cpp checks coverage and shared-memory banks.
//
// Why no bank conflicts (simt128_tile_test.cpp computes the banks of every warp access):
// - compute reads (LDS.128): warp w = (wm, wn) = (w % 2, w / 2), lane = (lm, ln) = (lane % 8,
//   lane / 8). At one k a warp reads A at rows wm*64 + h*32 + lm*4 (8 distinct float4, one
//   contiguous 128-byte run: every bank once) and B at wn*32 + h*16 + ln*4 (4 distinct
//   float4, 64 contiguous bytes); lanes sharing an address are broadcast.
// - 16-byte cp.async (row-fastest quads): a warp writes one k row, 128 consecutive floats:
//   512 contiguous bytes = 4 wavefronts, each bank 4 distinct words, the minimum.
// - 4-byte cp.async (k-fastest quads, row = tid / 2, k = (tid % 2)*4 + e): word
//   k*132 + row has bank (4k + row) mod 32 = 16*(lane % 2) + 4e + lane / 2 + const: 32
//   distinct banks. The pad of 4 floats (132 = 4 mod 32) is what spreads the k rows; it keeps
//   every row 16-byte aligned (528 bytes).
#pragma once

#include "backends/cuda/geometry.h"

namespace tconv::cuda::simt128 {

struct Cfg {
  static constexpr int BM = 128, BN = 128, BK = 8, THREADS = 256, TM = 8, TN = 8, STAGES = 3;
  static constexpr int LD = BM + 4;        // floats per k row of an operand tile in shared memory
  static constexpr int TILE = BK * LD;     // floats per operand tile (one stage)
  static constexpr int QUADS = BM * BK / 4;  // 4-element load quads per operand tile: one per thread
};
static_assert(Cfg::BM == Cfg::BN && Cfg::QUADS == Cfg::THREADS && Cfg::BK == 8 && Cfg::THREADS >= 128,
              "A and B share the load layout; one quad per thread; 4 warps x 4 lanes fill 2 x 8 column terms");

// Accumulator (i, j) of thread tid, tile-local (m, n): 2 x 2 blocks of 4 x 4 (i / 4, j / 4).
TCONV_HD int acc_m(int tid, int i) {
  const int lane = tid & 31, warp = tid >> 5;
  return (warp & 1) * 64 + (i >> 2) * 32 + (lane & 7) * 4 + (i & 3);
}
TCONV_HD int acc_n(int tid, int j) {
  const int lane = tid & 31, warp = tid >> 5;
  return (warp >> 1) * 32 + (j >> 2) * 16 + (lane >> 3) * 4 + (j & 3);
}

// Shared offset (floats) of operand tile element (row, k) in one stage: k-major.
TCONV_HD int smem_at(int row, int k) { return k * Cfg::LD + row; }

// The 4 elements a thread copies per operand and k-step: (row0 + e*dr, k0 + e*dk), e = 0..3.
// row_fastest (the operand is contiguous along rows in global memory): 4 consecutive rows at
// one k, contiguous in shared memory too (one 16-byte cp.async when global allows); else 4
// consecutive k of one row (4-byte copies: the k-major tile is not contiguous along k).
struct Quad {
  int row0, k0, dr, dk;
};
TCONV_HD Quad load_quad(int tid, bool row_fastest) {
  return row_fastest ? Quad{(tid & 31) * 4, tid >> 5, 1, 0} : Quad{tid >> 1, (tid & 1) * 4, 0, 1};
}

}  // namespace tconv::cuda::simt128
