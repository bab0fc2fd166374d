// Kernel family v4, phase_tc (phase_tc.h). Every address, stage and fragment coordinate comes
// from tc_tile.h / mma_views.h, which phase_tc_emulator.h runs on the CPU against the oracle.
#include "backends/cuda/phase_tc.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <string>
#include <type_traits>

#include "backends/cuda/mma_gemm.h"
#include "backends/cuda/tc_launch.h"
#include "backends/cuda/tc_ptx.h"
#include "backends/cuda/tc_refusal.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda {
namespace tc {
namespace {

// Per data type: the tile configuration and the shared-memory element (raw bits).
template <class T>
struct Traits {
  using Cfg = TcTile;
  using E = std::uint16_t;
};
template <>
struct Traits<float> {
  using Cfg = TcTf32;
  using E = std::uint32_t;
};

// One stage's multiply-accumulate of warp `warp`: f16/bf16 through ldmatrix and m16n8k16,
// f32 data through 32-bit shared loads, tf32 rounding and m16n8k8.
template <class T, bool BKN, class Cfg, class E>
__device__ __forceinline__ void compute_stage(const E* As, const E* Bs, int warp, int lane,
                                              float (&acc)[Cfg::MT][Cfg::NT][4]) {
  if constexpr (std::is_same_v<T, float>) {
#pragma unroll
    for (int ks = 0; ks < Cfg::BK / 8; ++ks) {
      std::uint32_t a[Cfg::MT][4], b[Cfg::NT][2];
#pragma unroll
      for (int mt = 0; mt < Cfg::MT; ++mt)
#pragma unroll
        for (int i = 0; i < 4; ++i) {
          const Idx2 e = tf32_a_elem(warp, mt, ks, lane, i);
          a[mt][i] = tf32_round_bits(As[smem_rk<Cfg>(e.row, e.k)]);
        }
#pragma unroll
      for (int nt = 0; nt < Cfg::NT; ++nt)
#pragma unroll
        for (int i = 0; i < 2; ++i) {
          const Idx2 e = tf32_b_elem(warp, nt, ks, lane, i);
          b[nt][i] = tf32_round_bits(Bs[BKN ? smem_kn<Cfg>(e.k, e.row) : smem_rk<Cfg>(e.row, e.k)]);
        }
#pragma unroll
      for (int mt = 0; mt < Cfg::MT; ++mt)
#pragma unroll
        for (int nt = 0; nt < Cfg::NT; ++nt) mma_1688_tf32(acc[mt][nt], a[mt], b[nt]);
    }
  } else {
#pragma unroll
    for (int ks = 0; ks < Cfg::BK / 16; ++ks) {
      std::uint32_t a[Cfg::MT][4], b[Cfg::NT][2];
#pragma unroll
      for (int mt = 0; mt < Cfg::MT; ++mt) {
        const Idx2 e = ldsm_a(warp, mt, ks, lane);
        ldmatrix_x4<false>(a[mt], As + smem_rk<Cfg>(e.row, e.k));
      }
#pragma unroll
      for (int np = 0; np < Cfg::NT / 2; ++np) {
        std::uint32_t r[4];
        if constexpr (BKN) {
          const Idx2 e = ldsm_b_kn(warp, np, ks, lane);
          ldmatrix_x4<true>(r, Bs + smem_kn<Cfg>(e.k, e.row));
        } else {
          const Idx2 e = ldsm_b_rk(warp, np, ks, lane);
          ldmatrix_x4<false>(r, Bs + smem_rk<Cfg>(e.row, e.k));
        }
        b[2 * np][0] = r[0];
        b[2 * np][1] = r[1];
        b[2 * np + 1][0] = r[2];
        b[2 * np + 1][1] = r[3];
      }
#pragma unroll
      for (int mt = 0; mt < Cfg::MT; ++mt)
#pragma unroll
        for (int nt = 0; nt < Cfg::NT; ++nt)
          mma::mma_16816<std::is_same_v<T, __nv_bfloat16>>(acc[mt][nt], a[mt], b[nt]);
    }
  }
}

template <class T, bool BKN, class View>
__global__ void __launch_bounds__(TcTile::THREADS) phase_tc_kernel(View v, const T* A, const T* B, const T* bias, T* C) {
  using Cfg = typename Traits<T>::Cfg;
  using E = typename Traits<T>::E;
  extern __shared__ __align__(16) unsigned char smem_raw[];
  E* smem = reinterpret_cast<E*>(smem_raw);
  __shared__ i64 c_rows[Cfg::BM], c_cols[Cfg::BN];
  const TcBlock blk = tc_block(v, blockIdx.x, blockIdx.y);
  const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
  fill_c_terms(v, blk, tid, c_rows, c_cols);
  const ThreadRows<Cfg> rows = thread_rows<BKN, Cfg>(v, blk, tid);
  // The K walk's coefficients, once per block (its divisions stay out of the main loop).
  __shared__ mma::KAffine kaff;
  if (tid == 0) kaff = mma::k_affine(v, blk.part, blk.gi, Cfg::BK);
  __syncthreads();
  ThreadK<BKN, Cfg> at = thread_k<BKN, Cfg>(kaff, tid);
  const i64 steps = tiles_of(blk.part.k, Cfg::BK);
  auto issue = [&](i64 kt) {
    for_each_chunk<BKN, Cfg>(kaff, v, rows, at, stage_of<Cfg>(kt), [&](int so, mma::ChunkSrc src, bool is_b) {
      cp_async16(smem + so, (is_b ? B : A) + src.off, src.valid);
    });
  };
  float acc[Cfg::MT][Cfg::NT][4] = {};
#pragma unroll
  for (int s = 0; s < kLookahead<Cfg>; ++s) {
    if (s < steps) issue(s);
    cp_async_commit();
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    cp_async_wait<kWaitDepth<Cfg>>();
    __syncthreads();
    if (refill_step<Cfg>(kt) < steps) issue(refill_step<Cfg>(kt));
    cp_async_commit();
    const int st = stage_of<Cfg>(kt);
    compute_stage<T, BKN, Cfg>(smem + stage_a<Cfg>(st), smem + stage_b<Cfg>(st), warp, lane, acc);
  }
  cp_async_wait<0>();
  __syncthreads();  // the C terms are visible (also when the phase has no k-step)
  for_each_c_pair(blk, v.n_count(), c_rows, c_cols, warp, lane, [&](i64 off, int mt, int nt, int h, i64, i64 n) {
    float lo = acc[mt][nt][2 * h], hi = acc[mt][nt][2 * h + 1];
    if (bias) {
      const i64 bi = v.bias_at(blk.gi, n);
      lo += mma::Elem<T>::to_f(bias[bi]);
      hi += mma::Elem<T>::to_f(bias[bi + 1]);
    }
    store_pair(C + off, lo, hi);
  });
}

template <class T, bool BKN, class View>
Status launch(const View& v, const void* A, const void* B, const void* bias, void* C, cudaStream_t stream,
              const char* name) {
  return launch_tile_kernel<&phase_tc_kernel<T, BKN, View>>(v, TcTile::THREADS, Traits<T>::Cfg::SMEM_BYTES, stream, name,
                           static_cast<const T*>(A), static_cast<const T*>(B),
                           static_cast<const T*>(bias), static_cast<T*>(C));
}

template <bool BKN, class View>
Status launch_for(const View& v, DType t, const void* A, const void* B, const void* bias, void* C, cudaStream_t s,
                  const char* name) {
  if (t == DType::f32) return launch<float, BKN>(v, A, B, bias, C, s, name);
  if (t == DType::f16) return launch<__half, BKN>(v, A, B, bias, C, s, name);
  return launch<__nv_bfloat16, BKN>(v, A, B, bias, C, s, name);
}

Status launch_views(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  // B orientation follows the filter's contiguous axis (IHWO): n for fwd, k for bwd_data.
  if (d == Direction::fwd)
    return launch_for<true>(mma::PhaseFwdView{g}, t, ops.x, ops.w, ops.b, ops.y, stream, "phase_tc_fwd");
  return launch_for<false>(mma::PhaseBwdDataView{g}, t, ops.dy, ops.w, nullptr, ops.dx, stream, "phase_tc_bwd_data");
}

}  // namespace
}  // namespace tc

Status phase_tc_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (t != DType::f16 && t != DType::bf16)
    return Status::Unsupported("phase_tc: dtype " + std::string(to_string(t)) + " not supported (f16 and bf16 only)");
  return tc::tile_refusal("phase_tc", d, g, tc::TcTile::CHUNK);
}

Status launch_phase_tc(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* stream) {
  if (Status r = phase_tc_refuses(d, g, t); !r.ok()) return r;
  return tc::launch_views(d, g, t, ops, stream);
}

Status phase_tc_tf32_refuses(Direction d, const ConvGeometry& g, DType t) {
  if (t != DType::f32)
    return Status::Unsupported("phase_tc+tf32: dtype " + std::string(to_string(t)) + " not supported (f32 data only)");
  return tc::tile_refusal("phase_tc+tf32", d, g, tc::TcTf32::CHUNK);
}

Status launch_phase_tc_tf32(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                            CUstream_st* stream) {
  if (Status r = phase_tc_tf32_refuses(d, g, t); !r.ok()) return r;
  return tc::launch_views(d, g, t, ops, stream);
}

}  // namespace tconv::cuda
