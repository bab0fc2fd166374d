// Host emulator of the phase_tc kernel (phase_tc.cu), for the CPU tests. It walks every block
// of the grouped grid and, inside a block, follows the kernel's stage order (tc_tile.h) for
// all threads between two barriers:
//   - cp.async: a copy's destination is poisoned (NaN of the dtype) when it is issued and
//     written only when a cp.async.wait_group lets its commit group land, so a stage read
//     before its copies landed, or refilled while still being read, yields NaN in the output;
//   - ldmatrix.x4 (plain and .trans) per warp from the 32 lanes' row addresses, as the PTX ISA
//     defines it; misaligned rows and reads outside shared memory throw;
//   - mma.sync m16n8k16 per warp through mma_emulator.h;
//   - the epilogue's paired stores through the same for_each_c_pair the kernel calls.
// All addresses come from tc_tile.h / mma_views.h. As in mma_emulator.h, mma tiles wholly
// outside the GEMM are not computed (the epilogue never stores them).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "backends/cuda/mma_emulator.h"
#include "backends/cuda/tc_tile.h"

namespace tconv::cuda::tc {

// ldmatrix.x4 of one warp: lane l supplies the element offset of row l % 8 of matrix l / 8;
// register j of lane l holds matrix j's elements (l / 4, 2(l % 4)) and (l / 4, 2(l % 4) + 1),
// low half first; .trans delivers the transpose: (2(l % 4), l / 4) and (2(l % 4) + 1, l / 4).
inline void emulate_ldmatrix_x4(const std::vector<std::uint16_t>& smem, const int (&row_addr)[32], bool trans,
                                std::uint32_t (&r)[32][4]) {
  for (int a : row_addr)
    if (a % 8 != 0 || a < 0 || a + 8 > static_cast<int>(smem.size()))
      throw std::logic_error("ldmatrix row address " + std::to_string(a) + " misaligned or outside shared memory");
  for (int lane = 0; lane < 32; ++lane)
    for (int j = 0; j < 4; ++j) {
      auto at = [&](int row, int col) { return std::uint32_t{smem[row_addr[8 * j + row] + col]}; };
      const int g = lane / 4, c = 2 * (lane % 4);
      const std::uint32_t lo = trans ? at(c, g) : at(g, c), hi = trans ? at(c + 1, g) : at(g, c + 1);
      r[lane][j] = lo | (hi << 16);
    }
}

inline std::uint16_t nan_bits(DType t) { return t == DType::f16 ? 0x7E00 : 0x7FC0; }

// One block; wait_depth is the kernel's kWaitDepth (a test passes a wrong one to show the
// poisoning catches a pipeline that computes before its data landed).
template <bool BKN, class View>
void emulate_tc_block(const View& v, DType t, const TcBlock& blk, const void* A, const void* B, const void* bias,
                      void* C, int wait_depth) {
  using S = TcTile;
  const i64 N = v.n_count();
  std::vector<std::uint16_t> smem(static_cast<std::size_t>(S::STAGES) * S::STAGE_ELEMS, nan_bits(t));
  std::vector<i64> c_rows(S::BM, i64{1} << 60), c_cols(S::BN, i64{1} << 60);
  std::vector<ThreadRows> rows(S::THREADS);
  for (int tid = 0; tid < S::THREADS; ++tid) {
    fill_c_terms(v, blk, tid, c_rows.data(), c_cols.data());
    rows[tid] = thread_rows<BKN>(v, blk, tid);
  }
  struct Copy {
    int dst;
    i64 src;
    bool is_b;
    int group;
  };
  std::vector<Copy> pending;
  int committed = 0;
  auto issue = [&](i64 kt) {
    for (int tid = 0; tid < S::THREADS; ++tid)
      for_each_chunk<BKN>(v, blk, rows[tid], tid, kt, stage_of(kt), [&](int so, i64 go, bool is_b) {
        if (so % S::CHUNK != 0 || so < 0 || so + S::CHUNK > static_cast<int>(smem.size()))
          throw std::logic_error("cp.async destination misaligned or outside shared memory");
        for (int j = 0; j < S::CHUNK; ++j) smem[so + j] = nan_bits(t);  // undefined until it lands
        pending.push_back({so, go, is_b, committed});
      });
  };
  auto wait = [&](int depth) {  // cp.async.wait_group depth: all but the newest `depth` groups land
    std::vector<Copy> still;
    for (const Copy& c : pending) {
      if (c.group >= committed - depth) {
        still.push_back(c);
        continue;
      }
      for (int j = 0; j < S::CHUNK; ++j)
        smem[c.dst + j] = c.src >= 0 ? mma::emu_bits(t, c.is_b ? B : A, c.src + j) : 0;
    }
    pending.swap(still);
  };
  auto acc = std::make_unique<float[][S::MT][S::NT][32][4]>(S::THREADS / 32);  // zeroed
  const i64 steps = tiles_of(blk.part.k, S::BK);
  for (int s = 0; s < S::STAGES - 1; ++s) {
    if (s < steps) issue(s);
    ++committed;
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    wait(wait_depth);
    // __syncthreads()
    if (refill_step(kt) < steps) issue(refill_step(kt));
    ++committed;
    const int st = stage_of(kt);
    for (int warp = 0; warp < S::THREADS / 32; ++warp)
      for (int ks = 0; ks < S::BK / 16; ++ks) {
        std::uint32_t a[S::MT][32][4], b[S::NT][32][2];
        int addr[32];
        for (int mt = 0; mt < S::MT; ++mt) {
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 e = ldsm_a(warp, mt, ks, lane);
            addr[lane] = stage_a(st) + smem_rk(e.row, e.k);
          }
          emulate_ldmatrix_x4(smem, addr, false, a[mt]);
        }
        for (int np = 0; np < S::NT / 2; ++np) {
          for (int lane = 0; lane < 32; ++lane) {
            const Idx2 e = BKN ? ldsm_b_kn(warp, np, ks, lane) : ldsm_b_rk(warp, np, ks, lane);
            addr[lane] = stage_b(st) + (BKN ? smem_kn(e.k, e.row) : smem_rk(e.row, e.k));
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
          for (int nt = 0; nt < S::NT; ++nt) {
            if (blk.m0 + warp_m0(warp) + mt * 16 >= blk.part.m || blk.n0 + warp_n0(warp) + nt * 8 >= N) continue;
            mma::emulate_mma_16816(t, acc[warp][mt][nt], a[mt], b[nt]);
          }
      }
  }
  wait(0);
  // __syncthreads()
  for (int warp = 0; warp < S::THREADS / 32; ++warp)
    for (int lane = 0; lane < 32; ++lane)
      for_each_c_pair(blk, N, c_rows.data(), c_cols.data(), warp, lane, [&](i64 off, int mt, int nt, int h, i64, i64 n) {
        if (off % 2 != 0) throw std::logic_error("paired store at an odd offset");
        float lo = acc[warp][mt][nt][lane][2 * h], hi = acc[warp][mt][nt][lane][2 * h + 1];
        if (bias) {
          const i64 bi = v.bias_at(blk.gi, n);
          lo += mma::emu_load(t, bias, bi);
          hi += mma::emu_load(t, bias, bi + 1);
        }
        mma::emu_store(t, C, off, lo);
        mma::emu_store(t, C, off + 1, hi);
      });
}

template <bool BKN, class View>
void emulate_tc(const View& v, DType t, const void* A, const void* B, const void* bias, void* C,
                int wait_depth = kWaitDepth) {
  const mma::Grid3 g3 = tc_grid(v);
  for (i64 by = 0; by < g3.y; ++by)
    for (i64 bx = 0; bx < g3.x; ++bx)
      emulate_tc_block<BKN>(v, t, tc_block(v, bx, by), A, B, bias, C, wait_depth);
}

// The whole of launch_phase_tc on host buffers (NHWC data, IHWO weights): fwd reads
// (x, w, bias or null) and writes y; bwd_data reads (dy, w) and writes dx. The caller checks
// phase_tc_refuses first.
inline void emulate_phase_tc(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                             const void* bias, void* out, int wait_depth = kWaitDepth) {
  if (d == Direction::fwd)
    emulate_tc<true>(mma::PhaseFwdView{g}, t, in, w, bias, out, wait_depth);
  else
    emulate_tc<false>(mma::PhaseBwdDataView{g}, t, in, w, nullptr, out, wait_depth);
}

}  // namespace tconv::cuda::tc
