// Host emulator of the simt128 kernel (simt128_kernel.h), for the CPU tests. Every block of
// the grid runs the kernel's phases in the kernel's order, each phase for all 256 threads
// before the next (what a barrier guarantees), through the same simt128_block.h functions.
// The cp.async pipeline is modelled pessimistically: a stage's shared slot is poisoned (NaN)
// when its copies are issued and the copies land only at the cp.async.wait_group that covers
// them, so a read of a slot in flight, or of an element no copy writes, turns the output NaN.
// Index tables start poisoned and a column slot is poisoned before each refill. Every 16-byte
// copy is checked against the element-wise definition (contiguous, aligned, all inside).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/cuda/simt128_block.h"
#include "backends/cuda/simt128_packed_filter.h"
#include "backends/cuda/wgrad_simt128.h"

namespace tconv::cuda::simt128 {

struct EmuAligned {
  bool a = true, b = true, c = true;  // as the launcher's 16-byte alignment flags
};

namespace detail {

inline void check(bool ok, const char* what) {
  if (!ok) throw std::logic_error(std::string("simt128 emulation: ") + what);
}

inline void poison(Tables& t) {
  const ATerm bad{i64{1} << 60, 0, 0};
  for (auto& r : t.a_rows) r = bad;
  for (auto& r : t.b_rows) r = bad;
  for (auto& r : t.c_rows) r = i64{1} << 60;
  for (auto& r : t.c_cols) r = i64{1} << 60;
  for (auto& s : t.a_cols)
    for (auto& c : s) c = bad;
  for (auto& s : t.b_cols)
    for (auto& c : s) c = bad;
}

// A 16-byte copy must equal four element copies that read consecutive, 16-byte aligned,
// in-bounds offsets into a contiguous, aligned shared run.
inline void check_vec(const QuadCopy& c, const ATerm* rows, const ATerm* cols, i64 lh, i64 lw, const Quad& q) {
  check(q.dr == 1 && c.dst[0] % 4 == 0 && c.src[0].off % 4 == 0, "16-byte copy misaligned");
  for (int e = 0; e < 4; ++e) {
    check(c.dst[e] == c.dst[0] + e, "16-byte copy: shared destination not contiguous");
    check(mma::a_offset(rows[q.row0 + e], cols[q.k0], lh, lw) == i64{c.src[0].off} + e,
          "16-byte copy: global source differs");
  }
}

// The element a 4-byte copy reads, or -1 for a zero; the kernel reads from base + off even when
// it zero-fills, so that offset must be 0 (inside the operand).
inline i64 element_of(const mma::ChunkSrc& s) {
  check(s.valid || s.off == 0, "a zero-filled copy's offset is not 0");
  return s.valid ? i64{s.off} : -1;
}

struct Landing {
  float* tile;
  int dst;
  float value;
};

}  // namespace detail

// What a block's 256 threads do before the kernel's first barrier: the row tables, the K
// walk's coefficients (returned) and starts, and the column tables of the first `slots` k-steps.
template <class Spec>
mma::KAffine start_tables(const Spec& sp, const Seg& s, const Block& blk, Tables& tab, mma::KCursor* walks, i64 slots) {
  for (int tid = 0; tid < Cfg::THREADS; ++tid) fill_rows(tab, sp, s, blk, tid);
  const mma::KAffine kaff = seg_k_affine(sp, s, blk.gi);
  for (int tid = 0; tid < Cfg::THREADS; ++tid) start_walks(walks, kaff, s, tid);
  for (int st = 0; st < slots; ++st)
    for (int tid = 0; tid < Cfg::THREADS; ++tid) fill_cols(tab, st, kaff, walks, tid);
  return kaff;
}

template <class Spec>
void emulate_simt128_block(const Spec& sp, const Block& blk, const float* A, const float* B, const float* bias,
                           float* C, EmuAligned al) {
  constexpr int T = Cfg::THREADS, S = Cfg::STAGES;
  const Seg s = sp.seg(blk.z);
  if (blk.m0 >= s.p.m) return;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> As(S * Cfg::TILE, nan), Bs(S * Cfg::TILE, nan);
  Tables tab;
  detail::poison(tab);
  const i64 nk = k_steps(s);
  mma::KCursor walks[kColumnWalks] = {};
  const mma::KAffine kaff = start_tables(sp, s, blk, tab, walks, std::min<i64>(S - 1, nk));
  // __syncthreads()
  std::vector<Quad> qa(T), qb(T);
  std::vector<int> ra(T), rb(T);
  for (int tid = 0; tid < T; ++tid) {
    qa[tid] = load_quad(tid, sp.a_row_fastest());
    qb[tid] = load_quad(tid, sp.b_row_fastest());
    ra[tid] = row_quad_step(tab.a_rows, qa[tid]);
    rb[tid] = row_quad_step(tab.b_rows, qb[tid]);
  }
  std::deque<std::vector<detail::Landing>> groups;  // committed, not yet landed
  auto issue = [&](int slot) {
    std::vector<detail::Landing> g;
    float* at = &As[slot * Cfg::TILE];
    float* bt = &Bs[slot * Cfg::TILE];
    std::fill(at, at + Cfg::TILE, nan);
    std::fill(bt, bt + Cfg::TILE, nan);
    auto one = [&](float* tile, const float* base, const QuadCopy& c) {
      for (int e = 0; e < 4; ++e) {
        const i64 at = detail::element_of(c.src[e]);
        g.push_back({tile, c.dst[e], at >= 0 ? base[at] : 0.f});
      }
    };
    for (int tid = 0; tid < T; ++tid) {
      const QuadCopy ca = quad_copy(tab.a_rows, tab.a_cols[slot], sp.a_lim_h(), sp.a_lim_w(), qa[tid], ra[tid], al.a);
      const QuadCopy cb = quad_copy(tab.b_rows, tab.b_cols[slot], sp.b_lim_h(), sp.b_lim_w(), qb[tid], rb[tid], al.b);
      if (ca.vec) detail::check_vec(ca, tab.a_rows, tab.a_cols[slot], sp.a_lim_h(), sp.a_lim_w(), qa[tid]);
      if (cb.vec) detail::check_vec(cb, tab.b_rows, tab.b_cols[slot], sp.b_lim_h(), sp.b_lim_w(), qb[tid]);
      one(at, A, ca);
      one(bt, B, cb);
    }
    return g;
  };
  auto wait_group = [&](std::size_t pending_allowed) {
    while (groups.size() > pending_allowed) {
      for (const detail::Landing& l : groups.front()) l.tile[l.dst] = l.value;
      groups.pop_front();
    }
  };
  for (int st = 0; st < S - 1; ++st) groups.push_back(st < nk ? issue(st) : std::vector<detail::Landing>{});
  std::vector<float> acc(static_cast<std::size_t>(T) * Cfg::TM * Cfg::TN, 0.f);
  auto acc_of = [&](int tid) -> float(&)[Cfg::TM][Cfg::TN] {
    return *reinterpret_cast<float(*)[Cfg::TM][Cfg::TN]>(&acc[static_cast<std::size_t>(tid) * Cfg::TM * Cfg::TN]);
  };
  int slot = 0;
  for (i64 kt = 0; kt < nk; ++kt) {
    const i64 next = kt + S - 1;
    const int next_slot = stage_two_ahead(slot);
    if (next < nk) {
      for (auto& c : tab.a_cols[next_slot]) c = {i64{1} << 60, 0, 0};
      for (auto& c : tab.b_cols[next_slot]) c = {i64{1} << 60, 0, 0};
      for (int tid = 0; tid < T; ++tid) fill_cols(tab, next_slot, kaff, walks, tid);
    }
    wait_group(S - 2);
    // __syncthreads()
    groups.push_back(next < nk ? issue(next_slot) : std::vector<detail::Landing>{});
    for (int tid = 0; tid < T; ++tid) compute_step(&As[slot * Cfg::TILE], &Bs[slot * Cfg::TILE], tid, acc_of(tid));
    slot = stage_next(slot);
  }
  for (int tid = 0; tid < T; ++tid) epilogue(tab, sp, s, blk, tid, acc_of(tid), bias, C, al.c);
}

// The whole launch of launch_simt128 on host buffers.
template <class Spec>
void emulate_simt128(const Spec& sp, const float* A, const float* B, const float* bias, float* C, EmuAligned al = {}) {
  const mma::Grid3 g3 = grid_of(sp);
  for (i64 bz = 0; bz < g3.z; ++bz)
    for (i64 by = 0; by < g3.y; ++by)
      for (i64 bx = 0; bx < g3.x; ++bx)
        emulate_simt128_block(sp, block_at(sp.n_count(), bx, by, bz), A, B, bias, C, al);
}

// launch_phase_simt128's view on host buffers: with `pack` (a workspace for it) and where
// packing applies, the filter packed element by element through the kernel's map into an
// exactly sized buffer (al.b then stands for the workspace's alignment), else w as is.
template <class View>
void emulate_phase_view(const View& v, const float* in, const float* w, const float* bias, float* out, EmuAligned al,
                        bool pack) {
  const PackedPhaseSpec<View> packed = packed_spec(v);
  const PackedFilter pf = packed.filter();
  const i64 elements = pack ? packed_filter_elements(pf.fwd, v.g) : 0;
  if (elements == 0) return emulate_simt128(PhaseSpec<View>{v}, in, w, bias, out, al);
  std::vector<float> buffer(static_cast<std::size_t>(elements));
  for (i64 j = 0; j < elements; ++j) buffer[static_cast<std::size_t>(j)] = pf.packed_value(w, j);
  emulate_simt128(packed, in, buffer.data(), bias, out, al);
}

// launch_phase_simt128 on host buffers in the device formats: fwd reads (x, w, bias or null)
// and writes y; bwd_data reads (dy, w) and writes dx. `pack`: as a launch given the workspace.
inline void emulate_phase_simt128(Direction d, const ConvGeometry& g, const float* in, const float* w,
                                  const float* bias, float* out, EmuAligned al = {}, bool pack = true) {
  if (d == Direction::fwd)
    emulate_phase_view(mma::PhaseFwdView{g}, in, w, bias, out, al, pack);
  else
    emulate_phase_view(mma::PhaseBwdDataView{g}, in, w, nullptr, out, al, pack);
}

// launch_wgrad_simt128 on host buffers: the GEMM into a poisoned workspace (or dw itself with
// one split), then the reduction, one dw element at a time.
inline void emulate_wgrad_simt128(const ConvGeometry& g, const WgradPlan& pl, const float* x, const float* dy,
                                  float* dw, EmuAligned al = {}) {
  const WgradSpec sp{g, pl.splits, pl.k_per_split};
  const i64 total = g.c_in * pl.ncol;
  if (pl.splits <= 1) {
    emulate_simt128(sp, x, dy, nullptr, dw, al);
    return;
  }
  std::vector<float> ws(static_cast<std::size_t>(pl.splits * total), std::numeric_limits<float>::quiet_NaN());
  emulate_simt128(sp, x, dy, nullptr, ws.data(), al);
  for (i64 i = 0; i < total; ++i) dw[i] = wgrad_simt128_reduce(ws.data(), total, pl.splits, i);
}

}  // namespace tconv::cuda::simt128
