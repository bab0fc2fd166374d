// The simt128 kernel: f32 implicit GEMM on CUDA cores, generic over a spec (simt128_spec.h).
// 128 x 128 block tile, 256 threads with 8 x 8 fmaf accumulators, 8-deep k-steps through a
// 3-stage cp.async pipeline (16-byte copies where the operand and alignment allow, 4-byte
// zero-filling copies elsewhere), bias fused into the epilogue. Grid: x = M tiles, y = group *
// N tiles, z = part (stride phase or K split): every phase in one launch. nvcc only.
//
// Pipeline, iteration kt (one barrier each):
//   fill the column table of step kt+2 (its slot's last reader issued step kt-1 two barriers ago)
//   cp.async.wait_group 1; __syncthreads()   -> step kt landed for every thread; step kt-1's
//                                               compute is done everywhere, so its slot is free
//   issue step kt+2 into slot (kt+2) % 3; commit (an empty group when past the end)
//   compute step kt from slot kt % 3
// simt128_emulate.h replays exactly this order, landing each copy group only at its wait.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "backends/api/status.h"
#include "backends/cuda/simt128_block.h"

namespace tconv::cuda::simt128 {

struct Aligned {
  bool a, b, c;  // base pointers 16-byte aligned
};

__device__ __forceinline__ void cp_async16(float* dst, const float* src) {
  const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(dst));
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(s), "l"(src));
}
// !valid: writes a zero without reading (the ignore-src predicate, which SASS takes as the
// copy's own zero-fill predicate).
__device__ __forceinline__ void cp_async4(float* dst, const float* src, bool valid) {
  const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(dst));
  asm volatile(
      "{\n .reg .pred ignore;\n setp.eq.u32 ignore, %2, 0;\n"
      " cp.async.ca.shared.global [%0], [%1], 4, ignore;\n}\n" ::"r"(s),
      "l"(src), "r"(static_cast<unsigned>(valid)));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

__device__ __forceinline__ void issue_copy(float* tile, const float* base, const QuadCopy& c) {
  if (c.vec) {
    cp_async16(tile + c.dst[0], base + c.src[0].off);
    return;
  }
#pragma unroll
  for (int e = 0; e < 4; ++e) cp_async4(tile + c.dst[e], base + c.src[e].off, c.src[e].valid);
}

// Blocks per SM the register budget is sized for: 2 (at most 128 registers a thread), which
// every spec now compiles to without spills (the fwd view's column terms needed up to 255, one
// block per SM, while they were decoded with divisions; the K walk removed that). ptxas -v
// numbers: backends/cuda/README.md.
inline constexpr int kMinBlocksPerSm = 2;

// The column terms' walk out of line: 16 threads run it per k-step, and inlined its 64-bit
// multiply-adds competed with the accumulators for registers (ptxas spilled at 128).
static __device__ __noinline__ void fill_cols_out_of_line(Tables& tab, int slot, const mma::KAffine& f, mma::KCursor* walks,
                                                          int tid) {
  fill_cols(tab, slot, f, walks, tid);
}

template <class Spec>
__global__ void __launch_bounds__(Cfg::THREADS, kMinBlocksPerSm)
    simt128_kernel(Spec sp, const float* A, const float* B, const float* bias, float* C, Aligned al) {
  __shared__ __align__(16) float As[Cfg::STAGES * Cfg::TILE];
  __shared__ __align__(16) float Bs[Cfg::STAGES * Cfg::TILE];
  __shared__ Tables tab;
  // The block's part and position are read from shared memory after the first barrier, so
  // they hold no registers through the main loop (the accumulators need them).
  __shared__ Seg seg_shared;
  __shared__ Block blk_shared;
  __shared__ mma::KAffine kaff;  // the K walk's coefficients and walks (k_cursor.h)
  __shared__ mma::KCursor walks[kColumnWalks];
  const int tid = threadIdx.x;
  i64 nk;
  {
    const Block b0 = block_at(sp.n_count(), blockIdx.x, blockIdx.y, blockIdx.z);
    const Seg s0 = sp.seg(b0.z);
    if (b0.m0 >= s0.p.m) return;  // this part has fewer M tiles than the largest
    if (tid == 0) seg_shared = s0, blk_shared = b0, kaff = seg_k_affine(sp, s0, b0.gi);
    nk = k_steps(s0);
    fill_rows(tab, sp, s0, b0, tid);
    __syncthreads();  // kaff
    start_walks(walks, kaff, s0, tid);
    for (int st = 0; st < Cfg::STAGES - 1; ++st)
      if (st < nk) fill_cols_out_of_line(tab, st, kaff, walks, tid);
  }
  __syncthreads();
  const Seg& s = seg_shared;
  const Block& blk = blk_shared;
  const Quad qa = load_quad(tid, sp.a_row_fastest()), qb = load_quad(tid, sp.b_row_fastest());
  const int ra = row_quad_step(tab.a_rows, qa), rb = row_quad_step(tab.b_rows, qb);
  auto issue = [&](int slot) {
    issue_copy(As + slot * Cfg::TILE, A,
               quad_copy(tab.a_rows, tab.a_cols[slot], sp.a_lim_h(), sp.a_lim_w(), qa, ra, al.a));
    issue_copy(Bs + slot * Cfg::TILE, B,
               quad_copy(tab.b_rows, tab.b_cols[slot], sp.b_lim_h(), sp.b_lim_w(), qb, rb, al.b));
  };
  for (int st = 0; st < Cfg::STAGES - 1; ++st) {
    if (st < nk) issue(st);
    cp_async_commit();
  }
  float acc[Cfg::TM][Cfg::TN];
#pragma unroll
  for (int i = 0; i < Cfg::TM; ++i)
#pragma unroll
    for (int j = 0; j < Cfg::TN; ++j) acc[i][j] = 0.f;
  int slot = 0;
  for (i64 kt = 0; kt < nk; ++kt) {
    const i64 next = kt + Cfg::STAGES - 1;
    const int next_slot = stage_two_ahead(slot);
    if (next < nk) fill_cols_out_of_line(tab, next_slot, kaff, walks, tid);
    cp_async_wait<Cfg::STAGES - 2>();
    __syncthreads();
    if (next < nk) issue(next_slot);
    cp_async_commit();
    compute_step(As + slot * Cfg::TILE, Bs + slot * Cfg::TILE, tid, acc);
    slot = stage_next(slot);
  }
  epilogue(tab, sp, s, blk, tid, acc, bias, C, al.c);
}

inline bool aligned16(const void* p) { return (reinterpret_cast<std::uintptr_t>(p) & 15) == 0; }

// Launches the spec's GEMM on `stream`; a launch error comes back naming `kernel`.
template <class Spec>
Status launch_simt128(const Spec& sp, const float* A, const float* B, const float* bias, float* C, cudaStream_t stream,
                      const char* kernel) {
  const mma::Grid3 g3 = grid_of(sp);
  const std::string why = mma::grid_refusal(g3);
  if (!why.empty()) return Status::Error(StatusCode::unsupported, std::string(kernel) + ": " + why);
  if (g3.x == 0 || g3.y == 0) return Status::Ok();
  const dim3 grid(static_cast<unsigned>(g3.x), static_cast<unsigned>(g3.y), static_cast<unsigned>(g3.z));
  simt128_kernel<Spec><<<grid, Cfg::THREADS, 0, stream>>>(sp, A, B, bias, C, Aligned{aligned16(A), aligned16(B), aligned16(C)});
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess)
    return Status::Error(StatusCode::error, std::string(kernel) + ": launch failed: " + cudaGetErrorName(err) + " (" +
                                                cudaGetErrorString(err) + ")");
  return Status::Ok();
}

}  // namespace tconv::cuda::simt128
