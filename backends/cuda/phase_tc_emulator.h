// Host emulator of the phase_tc kernel (phase_tc.cu), for the CPU tests. It walks every block
// of the grouped grid and, inside a block, follows the kernel's stage order (tc_tile.h) for
// all threads between two barriers:
//   - cp.async (CpAsyncModel): a copy's destination is poisoned (NaN of the dtype) when it is
//     issued and written only when a cp.async.wait_group lets its commit group land, so a stage
//     read before its copies landed, or refilled while still being read, yields NaN in the output;
//   - ldmatrix.x4 (plain and .trans) per warp from the 32 lanes' row addresses, as the PTX ISA
//     defines it; misaligned rows and reads outside shared memory throw;
//   - mma.sync m16n8k16 per warp through mma_emulator.h, and m16n8k8 .tf32 (f32 data) with
//     the kernel's own tf32 rounding (tf32_round_bits);
//   - the epilogue's paired stores through the same for_each_c_pair the kernel calls.
// All addresses come from tc_tile.h / mma_views.h. As in mma_emulator.h, mma tiles wholly
// outside the GEMM are not computed (the epilogue never stores them).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "backends/cuda/mma_emulator.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda::tc {

// ldmatrix.x4 of one warp: lane l supplies the element offset of row l % 8 of matrix l / 8;
// register j of lane l holds matrix j's elements (l / 4, 2(l % 4)) and (l / 4, 2(l % 4) + 1),
// low half first; .trans delivers the transpose: (2(l % 4), l / 4) and (2(l % 4) + 1, l / 4).
template <class Smem>
void emulate_ldmatrix_x4(const Smem& smem, const int (&row_addr)[32], bool trans, std::uint32_t (&r)[32][4]) {
  for (int a : row_addr)
    if (a % 8 != 0 || a < 0 || a + 8 > static_cast<int>(smem.size()))
      throw std::logic_error("ldmatrix row address " + std::to_string(a) + " misaligned or outside shared memory");
  for (int lane = 0; lane < 32; ++lane)
    for (int j = 0; j < 4; ++j) {
      auto at = [&](int row, int col) { return static_cast<std::uint32_t>(smem[row_addr[8 * j + row] + col] & 0xFFFFu); };
      const int g = lane / 4, c = 2 * (lane % 4);
      const std::uint32_t lo = trans ? at(c, g) : at(g, c), hi = trans ? at(c + 1, g) : at(g, c + 1);
      r[lane][j] = lo | (hi << 16);
    }
}

inline std::uint32_t nan_bits(DType t) { return t == DType::f32 ? 0x7FC00000u : t == DType::f16 ? 0x7E00u : 0x7FC0u; }
inline std::uint32_t load_bits(DType t, const void* base, i64 off) {
  if (t != DType::f32) return mma::emu_bits(t, base, off);
  std::uint32_t b;
  std::memcpy(&b, static_cast<const float*>(base) + off, 4);
  return b;
}
inline float bits_to_float(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// cp.async as the PTX ISA defines it, on one block's shared memory (one slot per element,
// 16-bit values in the low half for f16/bf16): a copy's destination is poisoned (NaN of the
// dtype) when it is issued and written only when a cp.async.wait_group lets its commit group
// land. Shared by the tile families' emulators (phase_tc, phase_wgmma).
class CpAsyncModel {
 public:
  std::vector<std::uint32_t> smem;

  CpAsyncModel(DType t, std::size_t elements, int chunk) : smem(elements, nan_bits(t)), t_(t), chunk_(chunk) {}
  // One 16-byte copy of `chunk` elements from global offset go (-1: zeros) of A or B.
  void issue(int so, i64 go, bool is_b) {
    if (so % chunk_ != 0 || so < 0 || so + chunk_ > static_cast<int>(smem.size()))
      throw std::logic_error("cp.async destination misaligned or outside shared memory");
    if (go >= 0 && go % chunk_ != 0)  // 16-byte source alignment (allocations are 256-byte aligned)
      throw std::logic_error("cp.async source offset " + std::to_string(go) + " not 16-byte aligned");
    for (int j = 0; j < chunk_; ++j) smem[so + j] = nan_bits(t_);  // undefined until it lands
    pending_.push_back({so, go, is_b, committed_});
  }
  void commit() { ++committed_; }
  // cp.async.wait_group depth: all but the newest `depth` groups land.
  void wait(int depth, const void* A, const void* B) {
    std::vector<Copy> still;
    for (const Copy& c : pending_) {
      if (c.group >= committed_ - depth) {
        still.push_back(c);
        continue;
      }
      for (int j = 0; j < chunk_; ++j) smem[c.dst + j] = c.src >= 0 ? load_bits(t_, c.is_b ? B : A, c.src + j) : 0;
    }
    pending_.swap(still);
  }

 private:
  struct Copy {
    int dst;
    i64 src;
    bool is_b;
    int group;
  };
  DType t_;
  int chunk_;
  std::vector<Copy> pending_;
  int committed_ = 0;
};

// The epilogue's paired store at C + off (channels n, n + 1), bias added first, as the
// kernels' store_pair; the pair's offset must be even (4-byte or 8-byte store).
template <class View>
void emu_store_pair(const View& v, DType t, const TcBlock& blk, const void* bias, void* C, i64 off, i64 n, float lo,
                    float hi) {
  if (off % 2 != 0) throw std::logic_error("paired store at an odd offset");
  if (bias) {
    const i64 bi = v.bias_at(blk.gi, n);
    lo += mma::emu_load(t, bias, bi);
    hi += mma::emu_load(t, bias, bi + 1);
  }
  mma::emu_store(t, C, off, lo);
  mma::emu_store(t, C, off + 1, hi);
}

// A block's producer side: the C terms (fill_c_terms, all of them), the producing threads' row
// terms and K walks, and issue(kt), which copies k-step kt through the kernel's for_each_chunk
// into a CpAsyncModel (issue_thread: one thread's share, into a given stage). Shared by the
// tile families' emulators.
template <bool BKN, class Cfg, class View>
struct BlockProducer {
  const View& v;
  const TcBlock& blk;
  std::vector<i64> c_rows, c_cols;
  std::vector<ThreadRows<Cfg>> rows;
  mma::KAffine kaff;
  std::vector<ThreadK<BKN, Cfg>> at;

  BlockProducer(const View& view, const TcBlock& block)
      : v(view), blk(block), c_rows(Cfg::BM, i64{1} << 60), c_cols(Cfg::BN, i64{1} << 60), rows(Cfg::THREADS),
        kaff(mma::k_affine(view, block.part, block.gi, Cfg::BK)), at(Cfg::THREADS) {
    for (int t = 0; t < TcTile::BM + TcTile::BN; ++t) fill_c_terms(v, blk, t, c_rows.data(), c_cols.data());
    for (int tid = 0; tid < Cfg::THREADS; ++tid) {
      rows[tid] = thread_rows<BKN, Cfg>(v, blk, tid);
      at[tid] = thread_k<BKN, Cfg>(kaff, tid);
    }
  }
  void issue(i64 kt, CpAsyncModel& cp) {
    for (int tid = 0; tid < Cfg::THREADS; ++tid) issue_thread(kt, stage_of<Cfg>(kt), tid, cp);
  }
  // Thread tid's chunks of k-step kt into `stage`.
  void issue_thread(i64 kt, int stage, int tid, CpAsyncModel& cp) {
    // The kernel issues k-steps in order, one call each: the thread's K walk must be at kt.
    if (at[tid].a.k != kt * Cfg::BK + rk_chunk<Cfg>(tid, 0).k)
      throw std::logic_error("k-step " + std::to_string(kt) + " issued out of order");
    for_each_chunk<BKN, Cfg>(kaff, v, rows[tid], at[tid], stage,
                             [&](int so, mma::ChunkSrc src, bool is_b) {
                               // The kernel copies from base + off even when it zero-fills: 0 there.
                               if (!src.valid && src.off != 0) throw std::logic_error("a zero-filled chunk's offset is not 0");
                               cp.issue(so, src.valid ? static_cast<i64>(src.off) : -1, is_b);
                             });
  }
};

// mma.sync.m16n8k8 .tf32 of one warp (f32 accumulate): A (16 x 8) and B (8 x 8) rebuilt from
// the lanes' registers through frag_a_tf32 / frag_b_tf32. Products of tf32 values are exact in
// double; the sum is taken in double (exact for the integer data of the oracle tests).
inline void emulate_mma_1688_tf32(float (&d)[32][4], const std::uint32_t (&a)[32][4], const std::uint32_t (&b)[32][2]) {
  float A[16][8], B[8][8];
  for (int lane = 0; lane < 32; ++lane) {
    for (int i = 0; i < 4; ++i) {
      const mma::RowCol f = frag_a_tf32(lane, i);
      A[f.row][f.col] = bits_to_float(a[lane][i]);
    }
    for (int i = 0; i < 2; ++i) {
      const mma::RowCol f = frag_b_tf32(lane, i);
      B[f.row][f.col] = bits_to_float(b[lane][i]);
    }
  }
  for (int lane = 0; lane < 32; ++lane)
    for (int i = 0; i < 4; ++i) {
      const mma::RowCol f = mma::frag_c(lane, i);
      double sum = d[lane][i];
      for (int k = 0; k < 8; ++k) sum += static_cast<double>(A[f.row][k]) * B[k][f.col];
      d[lane][i] = static_cast<float>(sum);
    }
}

// One block with tile configuration Cfg (TcTile for f16/bf16, TcTf32 for f32 data);
// wait_depth is the kernel's kWaitDepth (a test passes a wrong one to show the poisoning
// catches a pipeline that computes before its data landed).
template <bool BKN, class Cfg, class View>
void emulate_tc_block_cfg(const View& v, DType t, const TcBlock& blk, const void* A, const void* B, const void* bias,
                          void* C, int wait_depth) {
  using S = Cfg;
  const i64 N = v.n_count();
  CpAsyncModel cp(t, static_cast<std::size_t>(S::STAGES) * S::STAGE_ELEMS, S::CHUNK);
  const std::vector<std::uint32_t>& smem = cp.smem;
  BlockProducer<BKN, Cfg, View> producer(v, blk);
  auto issue = [&](i64 kt) { producer.issue(kt, cp); };
  auto acc = std::make_unique<float[][S::MT][S::NT][32][4]>(S::THREADS / 32);  // zeroed
  auto outside = [&](int warp, int mt, int nt) {
    return blk.m0 + warp_m0(warp) + mt * 16 >= blk.part.m || blk.n0 + warp_n0(warp) + nt * 8 >= N;
  };
  const i64 steps = tiles_of(blk.part.k, S::BK);
  for (int s = 0; s < kLookahead<Cfg>; ++s) {
    if (s < steps) issue(s);
    cp.commit();
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    cp.wait(wait_depth, A, B);
    // __syncthreads()
    if (refill_step<Cfg>(kt) < steps) issue(refill_step<Cfg>(kt));
    cp.commit();
    const int st = stage_of<Cfg>(kt);
    const std::uint32_t* As = smem.data() + stage_a<Cfg>(st);
    const std::uint32_t* Bs = smem.data() + stage_b<Cfg>(st);
    for (int warp = 0; warp < S::THREADS / 32; ++warp) {
      if (t == DType::f32) {
        for (int ks = 0; ks < S::BK / 8; ++ks) {
          std::uint32_t a[S::MT][32][4], b[S::NT][32][2];
          for (int lane = 0; lane < 32; ++lane) {
            for (int mt = 0; mt < S::MT; ++mt)
              for (int i = 0; i < 4; ++i) {
                const Idx2 e = tf32_a_elem(warp, mt, ks, lane, i);
                a[mt][lane][i] = tf32_round_bits(As[smem_rk<Cfg>(e.row, e.k)]);
              }
            for (int nt = 0; nt < S::NT; ++nt)
              for (int i = 0; i < 2; ++i) {
                const Idx2 e = tf32_b_elem(warp, nt, ks, lane, i);
                b[nt][lane][i] = tf32_round_bits(Bs[BKN ? smem_kn<Cfg>(e.k, e.row) : smem_rk<Cfg>(e.row, e.k)]);
              }
          }
          for (int mt = 0; mt < S::MT; ++mt)
            for (int nt = 0; nt < S::NT; ++nt)
              if (!outside(warp, mt, nt)) emulate_mma_1688_tf32(acc[warp][mt][nt], a[mt], b[nt]);
        }
        continue;
      }
      for (int ks = 0; ks < S::BK / 16; ++ks) {
        std::uint32_t a[S::MT][32][4], b[S::NT][32][2];
        int addr[32];
        for (int mt = 0; mt < S::MT; ++mt) {
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 e = ldsm_a(warp, mt, ks, lane);
            addr[lane] = stage_a<Cfg>(st) + smem_rk<Cfg>(e.row, e.k);
          }
          emulate_ldmatrix_x4(smem, addr, false, a[mt]);
        }
        for (int np = 0; np < S::NT / 2; ++np) {
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 e = BKN ? ldsm_b_kn(warp, np, ks, lane) : ldsm_b_rk(warp, np, ks, lane);
            addr[lane] = stage_b<Cfg>(st) + (BKN ? smem_kn<Cfg>(e.k, e.row) : smem_rk<Cfg>(e.row, e.k));
          }
          std::uint32_t r[32][4];
          emulate_ldmatrix_x4(smem, addr, BKN, r);
          for (int lane = 0; lane < 32; ++lane) {
            b[2 * np][lane][0] = r[lane][0];
            b[2 * np][lane][1] = r[lane][1];
            b[2 * np + 1][lane][0] = r[lane][2];
            b[2 * np + 1][lane][1] = r[lane][3];
          }
        }
        for (int mt = 0; mt < S::MT; ++mt)
          for (int nt = 0; nt < S::NT; ++nt)
            if (!outside(warp, mt, nt)) mma::emulate_mma_16816(t, acc[warp][mt][nt], a[mt], b[nt]);
      }
    }
  }
  cp.wait(0, A, B);
  // __syncthreads()
  for (int warp = 0; warp < S::THREADS / 32; ++warp)
    for (int lane = 0; lane < 32; ++lane)
      for_each_c_pair(blk, N, producer.c_rows.data(), producer.c_cols.data(), warp, lane,
                      [&](i64 off, int mt, int nt, int h, i64, i64 n) {
                        emu_store_pair(v, t, blk, bias, C, off, n, acc[warp][mt][nt][lane][2 * h],
                                       acc[warp][mt][nt][lane][2 * h + 1]);
                      });
}

template <bool BKN, class View>
void emulate_tc_block(const View& v, DType t, const TcBlock& blk, const void* A, const void* B, const void* bias,
                      void* C, int wait_depth) {
  if (t == DType::f32)
    emulate_tc_block_cfg<BKN, TcTf32>(v, t, blk, A, B, bias, C, wait_depth);
  else
    emulate_tc_block_cfg<BKN, TcTile>(v, t, blk, A, B, bias, C, wait_depth);
}

template <bool BKN, class View>
void emulate_tc(const View& v, DType t, const void* A, const void* B, const void* bias, void* C,
                int wait_depth = -1) {
  // -1: the kernel's own wait depth for the dtype's configuration.
  const int depth = wait_depth >= 0 ? wait_depth : t == DType::f32 ? kWaitDepth<TcTf32> : kWaitDepth<TcTile>;
  const mma::Grid3 g3 = tc_grid(v);
  for (i64 by = 0; by < g3.y; ++by)
    for (i64 bx = 0; bx < g3.x; ++bx)
      emulate_tc_block<BKN>(v, t, tc_block(v, bx, by), A, B, bias, C, depth);
}

// The whole of launch_phase_tc on host buffers (NHWC data, IHWO weights; t == f32 runs the tf32 variant): fwd reads
// (x, w, bias or null) and writes y; bwd_data reads (dy, w) and writes dx. The caller checks
// phase_tc_refuses first.
inline void emulate_phase_tc(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                             const void* bias, void* out, int wait_depth = -1) {
  if (d == Direction::fwd)
    emulate_tc<true>(mma::PhaseFwdView{g}, t, in, w, bias, out, wait_depth);
  else
    emulate_tc<false>(mma::PhaseBwdDataView{g}, t, in, w, nullptr, out, wait_depth);
}

}  // namespace tconv::cuda::tc
