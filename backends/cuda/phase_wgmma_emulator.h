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

template <bool BKN, class View>
void emulate_wg_block(const View& v, DType t, const tc::TcBlock& blk, const void* A, const void* B, const void* bias,
                      void* C, int wait_depth) {
  using S = WgCfg;
  const i64 N = v.n_count();
  tc::CpAsyncModel cp(t, static_cast<std::size_t>(S::STAGES) * S::STAGE_ELEMS, S::CHUNK);
  tc::BlockProducer<BKN, S, View> producer(v, blk);
  auto issue = [&](i64 kt) { producer.issue(kt, cp); };
  auto value = [&](std::uint32_t bits) { return static_cast<double>(mma::emu_from_bits(t, static_cast<std::uint16_t>(bits))); };
  // acc[m][n] of the block tile; a thread's registers are the entries wg_c_pair names.
  std::vector<float> acc(static_cast<std::size_t>(S::BM) * S::BN, 0.0f);
  // A wgmma batch reads its stage at some time between its issue and its retirement: the
  // product is taken at issue, and the stage must read the same when the batch retires.
  struct Batch {
    int stage;
    std::vector<std::uint32_t> seen;
  };
  std::deque<Batch> in_flight;
  auto stage_words = [&](int st) {
    const auto* first = cp.smem.data() + tc::stage_a<S>(st);
    return std::vector<std::uint32_t>(first, first + S::STAGE_ELEMS);
  };
  auto retire_to = [&](std::size_t pending) {  // wgmma.wait_group pending
    for (; in_flight.size() > pending; in_flight.pop_front())
      if (stage_words(in_flight.front().stage) != in_flight.front().seen)
        throw std::logic_error("a stage was overwritten while a wgmma batch still read it");
  };
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
    const std::uint32_t* As = cp.smem.data() + tc::stage_a<S>(st);
    const std::uint32_t* Bs = cp.smem.data() + tc::stage_b<S>(st);
    for (int m = 0; m < S::BM; ++m) {
      if (blk.m0 + m >= blk.part.m) continue;  // rows the epilogue never stores
      for (int n = 0; n < S::BN; ++n) {
        if (blk.n0 + n >= N) continue;
        double sum = acc[m * S::BN + n];
        for (int k = 0; k < S::BK; ++k) sum += value(As[S::rk(m, k)]) * value(Bs[BKN ? S::kn(k, n) : S::rk(n, k)]);
        acc[m * S::BN + n] = static_cast<float>(sum);
      }
    }
    in_flight.push_back({st, stage_words(st)});
    retire_to(S::MMA_IN_FLIGHT);  // wgmma.wait_group MMA_IN_FLIGHT
  }
  retire_to(0);
  cp.wait(0, A, B);
  // __syncthreads()
  for (int tid = 0; tid < S::THREADS; ++tid)
    for_each_wg_pair(blk, N, producer.c_rows.data(), producer.c_cols.data(), tid, [&](i64 off, int h, i64 m, i64 n) {
      const Idx2 e = wg_c_pair(tid, h);
      if (m != blk.m0 + e.row || n != blk.n0 + e.k) throw std::logic_error("pair coordinates disagree");
      tc::emu_store_pair(v, t, blk, bias, C, off, n, acc[e.row * S::BN + e.k], acc[e.row * S::BN + e.k + 1]);
    });
}

// The whole of launch_phase_wgmma on host buffers (NHWC data, IHWO weights): fwd reads
// (x, w, bias or null) and writes y; bwd_data reads (dy, w) and writes dx. The caller checks
// phase_wgmma_refuses first. wait_depth -1: the kernel's own.
inline void emulate_phase_wgmma(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                                const void* bias, void* out, int wait_depth = -1) {
  const int depth = wait_depth >= 0 ? wait_depth : tc::kWaitDepth<WgCfg>;
  auto run = [&](const auto& v, auto bkn, const void* b) {
    const mma::Grid3 g3 = tc::tc_grid(v);
    for (i64 by = 0; by < g3.y; ++by)
      for (i64 bx = 0; bx < g3.x; ++bx)
        emulate_wg_block<decltype(bkn)::value>(v, t, tc::tc_block(v, bx, by), in, w, b, out, depth);
  };
  if (d == Direction::fwd)
    run(mma::PhaseFwdView{g}, std::true_type{}, bias);
  else
    run(mma::PhaseBwdDataView{g}, std::false_type{}, nullptr);
}

}  // namespace tconv::cuda::wg
