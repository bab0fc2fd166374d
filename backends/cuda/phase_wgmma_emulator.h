// Host emulator of the phase_wgmma kernel (phase_wgmma.cu), for the CPU tests. Every block of
// the grouped grid; inside a block, the kernel's stage order for all threads between barriers:
//   - cp.async through phase_tc_emulator.h's CpAsyncModel: a destination is poisoned (NaN)
//     when issued and written only when a wait lets its group land, so a stage read too early,
//     or refilled while still read, yields NaN in the output;
//   - wgmma: each warpgroup's 64 x 128 x 64 product read from the stage through wg_tile.h's
//     layouts (rk, kn), which phase_wgmma_test.cpp proves equal to the CuTe layouts the kernel
//     builds its descriptors from; sums in double (exact for the integer data of the tests).
//     A batch stays in flight until the kernel's wait retires it (MMA_IN_FLIGHT later): its
//     stage must not change before then, or the emulation throws;
//   - the epilogue's paired stores through for_each_wg_pair, the kernel's own.
#pragma once

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/cuda/phase_tc_emulator.h"
#include "backends/cuda/wg_tile.h"

namespace tconv::cuda::wg {

// What a wgmma batch adds to acc[m * BN + n] from the stage at `stage` of smem (one slot per
// element), for tile rows m0 .. m1 - 1: read through wg_tile.h's layouts, summed in double
// (exact for the integer data of the tests). Rows and columns outside the GEMM are skipped (the
// epilogue never stores them).
template <bool BKN, class Cfg>
void emulate_wg_product(DType t, const std::vector<std::uint32_t>& smem, int stage, const tc::TcBlock& blk, i64 n_count,
                        int m0, int m1, std::vector<float>& acc) {
  auto value = [&](std::uint32_t bits) { return static_cast<double>(mma::emu_from_bits(t, static_cast<std::uint16_t>(bits))); };
  const std::uint32_t* As = smem.data() + tc::stage_a<Cfg>(stage);
  const std::uint32_t* Bs = smem.data() + tc::stage_b<Cfg>(stage);
  for (int m = m0; m < m1; ++m) {
    if (blk.m0 + m >= blk.part.m) continue;
    for (int n = 0; n < Cfg::BN; ++n) {
      if (blk.n0 + n >= n_count) continue;
      double sum = acc[m * Cfg::BN + n];
      for (int k = 0; k < Cfg::BK; ++k) sum += value(As[Cfg::rk(m, k)]) * value(Bs[BKN ? Cfg::kn(k, n) : Cfg::rk(n, k)]);
      acc[m * Cfg::BN + n] = static_cast<float>(sum);
    }
  }
}

// The wgmma batches of one warpgroup that no wgmma.wait_group has retired yet. A batch reads
// its stage at some time between its issue and its retirement: the emulators take its product
// at issue, so the stage (in smem, one slot per element) must read the same when it retires.
template <class Cfg>
class InFlightBatches {
 public:
  void issued(const std::vector<std::uint32_t>& smem, int stage) { batches_.push_back({stage, words(smem, stage)}); }
  // wgmma.wait_group pending: all but the newest `pending` batches retire.
  void retire_to(const std::vector<std::uint32_t>& smem, std::size_t pending) {
    for (; batches_.size() > pending; batches_.pop_front())
      if (words(smem, batches_.front().stage) != batches_.front().seen)
        throw std::logic_error("a stage changed (a copy landed or a refill began) while a wgmma batch read it");
  }

 private:
  struct Batch {
    int stage;
    std::vector<std::uint32_t> seen;
  };
  static std::vector<std::uint32_t> words(const std::vector<std::uint32_t>& smem, int stage) {
    const auto* first = smem.data() + tc::stage_a<Cfg>(stage);
    return {first, first + Cfg::STAGE_ELEMS};
  }
  std::deque<Batch> batches_;
};

// A block's epilogue from its accumulator tile acc[m * BN + n]: the paired stores of every
// thread through for_each_wg_pair, the kernel's own.
template <class View>
void emulate_wg_epilogue(const View& v, DType t, const tc::TcBlock& blk, const std::vector<i64>& c_rows,
                         const std::vector<i64>& c_cols, const std::vector<float>& acc, const void* bias, void* C) {
  for (int tid = 0; tid < WgCfg::THREADS; ++tid)
    for_each_wg_pair(blk, v.n_count(), c_rows.data(), c_cols.data(), tid, [&](i64 off, int h, i64 m, i64 n) {
      const Idx2 e = wg_c_pair(tid, h);
      if (m != blk.m0 + e.row || n != blk.n0 + e.k) throw std::logic_error("pair coordinates disagree");
      tc::emu_store_pair(v, t, blk, bias, C, off, n, acc[e.row * WgCfg::BN + e.k], acc[e.row * WgCfg::BN + e.k + 1]);
    });
}

// A wgmma family's launch as the kernels see it: run(view, std::bool_constant<BKN>, bias or
// null) with the direction's view and B orientation (as wg_kernel.cuh's launch_wgmma).
template <class Run>
void with_wg_view(Direction d, const ConvGeometry& g, const void* bias, Run&& run) {
  if (d == Direction::fwd)
    run(mma::PhaseFwdView{g}, std::true_type{}, bias);
  else
    run(mma::PhaseBwdDataView{g}, std::false_type{}, nullptr);
}

// Every block of a wgmma family's launch on host buffers, in grid order:
// block(view, std::bool_constant<BKN>, block, bias or null).
template <class Block>
void for_each_wg_block(Direction d, const ConvGeometry& g, const void* bias, Block&& block) {
  with_wg_view(d, g, bias, [&](const auto& v, auto bkn, const void* b) {
    const mma::Grid3 g3 = tc::tc_grid(v);
    for (i64 by = 0; by < g3.y; ++by)
      for (i64 bx = 0; bx < g3.x; ++bx) block(v, bkn, tc::tc_block(v, bx, by), b);
  });
}

template <bool BKN, class View>
void emulate_wg_block(const View& v, DType t, const tc::TcBlock& blk, const void* A, const void* B, const void* bias,
                      void* C, int wait_depth) {
  using S = WgCfg;
  const i64 N = v.n_count();
  tc::CpAsyncModel cp(t, static_cast<std::size_t>(S::STAGES) * S::STAGE_ELEMS, S::CHUNK);
  tc::BlockProducer<BKN, S, View> producer(v, blk);
  auto issue = [&](i64 kt) { producer.issue(kt, cp); };
  // acc[m][n] of the block tile; a thread's registers are the entries wg_c_pair names.
  std::vector<float> acc(static_cast<std::size_t>(S::BM) * S::BN, 0.0f);
  InFlightBatches<S> in_flight;  // one for both warpgroups: they issue and wait in step
  const i64 steps = tc::tiles_of(blk.part.k, S::BK);
  for (int s = 0; s < tc::kLookahead<S>; ++s) {
    if (s < steps) issue(s);
    cp.commit();
  }
  for (i64 kt = 0; kt < steps; ++kt) {
    cp.wait(wait_depth, A, B);
    // fence.proxy.async, __syncthreads()
    if (tc::refill_step<S>(kt) < steps) issue(tc::refill_step<S>(kt));
    cp.commit();
    const int st = tc::stage_of<S>(kt);
    emulate_wg_product<BKN, S>(t, cp.smem, st, blk, N, 0, S::BM, acc);
    in_flight.issued(cp.smem, st);
    in_flight.retire_to(cp.smem, S::MMA_IN_FLIGHT);  // wgmma.wait_group MMA_IN_FLIGHT
  }
  in_flight.retire_to(cp.smem, 0);
  cp.wait(0, A, B);
  // __syncthreads()
  emulate_wg_epilogue(v, t, blk, producer.c_rows, producer.c_cols, acc, bias, C);
}

// The whole of launch_phase_wgmma on host buffers (NHWC data, IHWO weights): fwd reads
// (x, w, bias or null) and writes y; bwd_data reads (dy, w) and writes dx. The caller checks
// phase_wgmma_refuses first. wait_depth -1: the kernel's own.
inline void emulate_phase_wgmma(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                                const void* bias, void* out, int wait_depth = -1) {
  const int depth = wait_depth >= 0 ? wait_depth : tc::kWaitDepth<WgCfg>;
  for_each_wg_block(d, g, bias, [&](const auto& v, auto bkn, const tc::TcBlock& blk, const void* b) {
    emulate_wg_block<decltype(bkn)::value>(v, t, blk, in, w, b, out, depth);
  });
}

}  // namespace tconv::cuda::wg
