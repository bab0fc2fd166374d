// The implicit-GEMM kernel shared by phase_gemm.cu and k_equals_s.cu, generic over a view
// (mma_views.h). Grid: x = M tiles, y = group * N tiles, z = view part (stride phase).
// f32: CUDA-core FMA with 4x4 register blocking; f16/bf16: mma.sync m16n8k16 with f32
// accumulators; bias is added in f32 and the output rounded once. Every index comes from
// mma_tile.h / mma_views.h, which the host emulator (mma_emulator.h) runs on the CPU.
// nvcc only.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <string>
#include <type_traits>

#include "backends/api/status.h"
#include "backends/cuda/mma_tile.h"
#include "backends/cuda/mma_views.h"

namespace tconv::cuda::mma {

template <class T> struct Elem;
template <> struct Elem<float> {
  static __device__ __forceinline__ float to_f(float v) { return v; }
  static __device__ __forceinline__ float from_f(float v) { return v; }
};
template <> struct Elem<__half> {
  static __device__ __forceinline__ float to_f(__half v) { return __half2float(v); }
  static __device__ __forceinline__ __half from_f(float v) { return __float2half_rn(v); }
  static __device__ __forceinline__ unsigned short bits(__half v) { return __half_as_ushort(v); }
};
template <> struct Elem<__nv_bfloat16> {
  static __device__ __forceinline__ float to_f(__nv_bfloat16 v) { return __bfloat162float(v); }
  static __device__ __forceinline__ __nv_bfloat16 from_f(float v) { return __float2bfloat16_rn(v); }
  static __device__ __forceinline__ unsigned short bits(__nv_bfloat16 v) { return __bfloat16_as_ushort(v); }
};

template <class T> constexpr int kThreads = std::is_same_v<T, float> ? SimtTile::THREADS : MmaTile::THREADS;

template <class View>
__device__ __forceinline__ BlockPos this_block(const View& v) {
  return block_pos(v, blockIdx.x, blockIdx.y, blockIdx.z);
}

// The block's K walk (k_cursor.h): thread 0 derives the coefficients into shared memory, a
// barrier publishes them, each thread starts its column entry's walk.
template <class S, class View>
__device__ __forceinline__ ColumnFill<S> start_columns(const View& v, const Part& p, const BlockPos& bp, int tid,
                                                       KAffine* kaff) {
  if (tid == 0) *kaff = k_affine(v, p, bp.gi, S::BK);
  __syncthreads();
  ColumnFill<S> walk{};
  walk.start(*kaff, tid);
  return walk;
}

template <class T, class View>
__device__ void simt_body(const View& v, const T* A, const T* B, const T* bias, T* C) {
  using S = SimtTile;
  __shared__ float As[S::BK * S::BM];
  __shared__ float Bs[S::BK * S::BN];
  __shared__ Tables<S> tab;
  __shared__ KAffine kaff;
  const BlockPos bp = this_block(v);
  const Part p = v.part(bp.z);
  const i64 N = v.n_count();
  if (bp.m0 >= p.m) return;  // this phase has fewer M tiles than the widest one
  const int tid = threadIdx.x;
  const bool a_rf = v.a_row_fastest(), b_rf = v.b_row_fastest(), c_mf = v.c_m_fastest();
  fill_rows(tab, v, p, bp, tid);
  ColumnFill<S> walk = start_columns<S>(v, p, bp, tid, &kaff);
  float acc[S::TM][S::TN] = {};
  for (i64 k0 = 0; k0 < p.k; k0 += S::BK) {
    walk.fill(tab, kaff, tid);
    __syncthreads();  // tables ready (and, from the 2nd step on, the last compute done)
#pragma unroll
    for (int i = 0; i < S::BM * S::BK / S::THREADS; ++i) {
      const Idx2 e = load_slot<S::BM, S::BK, S::THREADS>(tid, i, a_rf);
      const i64 off = a_elem(tab, v, e);
      As[simt_smem(e.row, e.k, S::BM)] = off >= 0 ? Elem<T>::to_f(A[off]) : 0.f;
    }
#pragma unroll
    for (int i = 0; i < S::BN * S::BK / S::THREADS; ++i) {
      const Idx2 e = load_slot<S::BN, S::BK, S::THREADS>(tid, i, b_rf);
      const i64 off = b_elem(tab, e);
      Bs[simt_smem(e.row, e.k, S::BN)] = off >= 0 ? Elem<T>::to_f(B[off]) : 0.f;
    }
    __syncthreads();
#pragma unroll 4
    for (int k = 0; k < S::BK; ++k) {
      float a[S::TM], b[S::TN];
#pragma unroll
      for (int i = 0; i < S::TM; ++i) a[i] = As[simt_smem(simt_m(tid, i, c_mf), k, S::BM)];
#pragma unroll
      for (int j = 0; j < S::TN; ++j) b[j] = Bs[simt_smem(simt_n(tid, j, c_mf), k, S::BN)];
#pragma unroll
      for (int i = 0; i < S::TM; ++i)
#pragma unroll
        for (int j = 0; j < S::TN; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    __syncthreads();  // before the next step overwrites the tiles and column tables
  }
  if (p.k == 0) __syncthreads();  // no k-step ran: the row tables still need a barrier
#pragma unroll
  for (int i = 0; i < S::TM; ++i)
#pragma unroll
    for (int j = 0; j < S::TN; ++j) {
      const int ml = simt_m(tid, i, c_mf), nl = simt_n(tid, j, c_mf);
      const i64 m = bp.m0 + ml, n = bp.n0 + nl;
      if (m >= p.m || n >= N) continue;
      const i64 bi = bias ? v.bias_at(bp.gi, n) : -1;
      const float out = acc[i][j] + (bi >= 0 ? Elem<T>::to_f(bias[bi]) : 0.f);
      C[c_elem(tab, ml, nl)] = Elem<T>::from_f(out);
    }
}

template <class T, class View>
__device__ void mma_body(const View& v, const T* A, const T* B, const T* bias, T* C) {
  using S = MmaTile;
  __shared__ std::uint16_t As[S::BM * S::LD];
  __shared__ std::uint16_t Bs[S::BN * S::LD];
  __shared__ Tables<S> tab;
  __shared__ KAffine kaff;
  const BlockPos bp = this_block(v);
  const Part p = v.part(bp.z);
  const i64 N = v.n_count();
  if (bp.m0 >= p.m) return;
  const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
  const bool a_rf = v.a_row_fastest(), b_rf = v.b_row_fastest();
  fill_rows(tab, v, p, bp, tid);
  ColumnFill<S> walk = start_columns<S>(v, p, bp, tid, &kaff);
  float acc[S::MT][S::NT][4] = {};
  for (i64 k0 = 0; k0 < p.k; k0 += S::BK) {
    walk.fill(tab, kaff, tid);
    __syncthreads();
#pragma unroll
    for (int i = 0; i < S::BM * S::BK / S::THREADS; ++i) {
      const Idx2 e = load_slot<S::BM, S::BK, S::THREADS>(tid, i, a_rf);
      const i64 off = a_elem(tab, v, e);
      As[mma_smem(e.row, e.k)] = off >= 0 ? Elem<T>::bits(A[off]) : 0;  // +0 in f16 and bf16
    }
#pragma unroll
    for (int i = 0; i < S::BN * S::BK / S::THREADS; ++i) {
      const Idx2 e = load_slot<S::BN, S::BK, S::THREADS>(tid, i, b_rf);
      const i64 off = b_elem(tab, e);
      Bs[mma_smem(e.row, e.k)] = off >= 0 ? Elem<T>::bits(B[off]) : 0;
    }
    __syncthreads();
#pragma unroll
    for (int ks = 0; ks < S::BK / 16; ++ks) {
      std::uint32_t a[S::MT][4], b[S::NT][2];
#pragma unroll
      for (int mt = 0; mt < S::MT; ++mt)
#pragma unroll
        for (int r = 0; r < 4; ++r) a[mt][r] = a_reg(As, warp, mt, ks, lane, r);
#pragma unroll
      for (int nt = 0; nt < S::NT; ++nt)
#pragma unroll
        for (int r = 0; r < 2; ++r) b[nt][r] = b_reg(Bs, warp, nt, ks, lane, r);
#pragma unroll
      for (int mt = 0; mt < S::MT; ++mt)
#pragma unroll
        for (int nt = 0; nt < S::NT; ++nt) mma_16816<std::is_same_v<T, __nv_bfloat16>>(acc[mt][nt], a[mt], b[nt]);
    }
    __syncthreads();
  }
  if (p.k == 0) __syncthreads();
#pragma unroll
  for (int mt = 0; mt < S::MT; ++mt)
#pragma unroll
    for (int nt = 0; nt < S::NT; ++nt)
#pragma unroll
      for (int i = 0; i < 4; ++i) {
        const Idx2 e = mma_c_elem(warp, mt, nt, lane, i);
        const i64 m = bp.m0 + e.row, n = bp.n0 + e.k;
        if (m >= p.m || n >= N) continue;
        const i64 bi = bias ? v.bias_at(bp.gi, n) : -1;
        const float out = acc[mt][nt][i] + (bi >= 0 ? Elem<T>::to_f(bias[bi]) : 0.f);
        C[c_elem(tab, e.row, e.k)] = Elem<T>::from_f(out);
      }
}

template <class T, class View>
__global__ void __launch_bounds__(kThreads<T>) gemm_kernel(View v, const T* A, const T* B, const T* bias, T* C) {
  if constexpr (std::is_same_v<T, float>)
    simt_body<T>(v, A, B, bias, C);
  else
    mma_body<T>(v, A, B, bias, C);
}

// Launches the view's GEMM on `stream`; a launch error comes back naming `kernel`.
template <class T, class View>
Status launch_gemm(const View& v, const void* A, const void* B, const void* bias, void* C, cudaStream_t stream,
                   const char* kernel) {
  const Grid3 g3 = view_grid(v);
  const std::string why = grid_refusal(g3);
  if (!why.empty()) return Status::Error(StatusCode::unsupported, std::string(kernel) + ": " + why);
  for (i64 z = 0; z < v.parts(); ++z)  // the K walk (k_cursor.h) counts in 32 bits
      if (v.part(z).k > (i64{1} << 30))
        return Status::Error(StatusCode::unsupported, std::string(kernel) + ": K (taps x channels per group) above 2^30");
  if (g3.x == 0) return Status::Ok();
  const dim3 grid(static_cast<unsigned>(g3.x), static_cast<unsigned>(g3.y), static_cast<unsigned>(g3.z));
  gemm_kernel<T, View><<<grid, kThreads<T>, 0, stream>>>(v, static_cast<const T*>(A), static_cast<const T*>(B),
                                                        static_cast<const T*>(bias), static_cast<T*>(C));
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess)
    return Status::Error(StatusCode::error, std::string(kernel) + ": launch failed: " + cudaGetErrorName(err) + " (" +
                                                cudaGetErrorString(err) + ")");
  return Status::Ok();
}

// The GEMM families' launcher over the dtypes they run (one instantiation per view and type).
template <class View>
Status launch_gemm_for(const View& v, DType t, const void* A, const void* B, const void* bias, void* C,
                       cudaStream_t stream, const char* kernel) {
  switch (t) {
    case DType::f32: return launch_gemm<float>(v, A, B, bias, C, stream, kernel);
    case DType::f16: return launch_gemm<__half>(v, A, B, bias, C, stream, kernel);
    case DType::bf16: return launch_gemm<__nv_bfloat16>(v, A, B, bias, C, stream, kernel);
    default: return Status::Error(StatusCode::unsupported, std::string(kernel) + ": f32, f16 and bf16 only");
  }
}

// What both GEMM families refuse before their own rules: other directions, other dtypes.
inline Status gemm_family_refusal(const char* family, Direction d, DType t) {
  if (d != Direction::fwd && d != Direction::bwd_data) return Status::Unsupported(std::string(family) + ": fwd and bwd_data only");
  if (t != DType::f32 && t != DType::f16 && t != DType::bf16)
    return Status::Unsupported(std::string(family) + ": dtype " + std::string(to_string(t)) + " not supported (f32, f16, bf16 only)");
  return Status::Ok();
}

}  // namespace tconv::cuda::mma
