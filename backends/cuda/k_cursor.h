// A thread's walk along K without divisions in the main loop. The walked views order K as three
// digits, k = (th * ntw + tw) * C + c (the phase views: c the channel, (th, tw) the phase's
// tap; the k == s views: the weights' storage order), and their column terms a_col(k) and
// b_col(k) are affine in (c, tw, th): every index map is linear in its coordinates, and a
// phase's tap step divides exactly. So a block derives the coefficients once from a_col /
// b_col themselves, and each thread advances its digits by the k-step's own digits with two
// carries per k-step, instead of decoding k with 64-bit divisions (k / C, t / ntw, the phase's
// exact divisions, and C_in/g itself: up to 15 division calls per k-step and thread before).
// k_cursor_test.cpp checks the walk against a_col / b_col at every k of random problems.
#pragma once

#include "backends/cuda/mma_views.h"

namespace tconv::cuda::mma {

// The coefficients of one (part, group): trivially constructible, so a kernel can keep one in
// shared memory. K < 2^31 (the families that use it refuse larger).
struct KAffine {
  int K, C, ntw;
  int step, sc, sw, sh;  // the k-step and its digits: step = (sh * ntw + sw) * C + sc
  ATerm a0, ac, ah, aw;  // a_col = a0 + c*ac + th*ah + tw*aw (each of off, y, x)
  i64 b0, bc, bh, bw;    // b_col = b0 + c*bc + th*bh + tw*bw
};

TCONV_HD ATerm aterm_minus(const ATerm& a, const ATerm& b) { return {a.off - b.off, a.y - b.y, a.x - b.x}; }

// From the view's own column terms at k = 0, 1, C and C*ntw (those that exist), for walks of
// `step` (the kernel's k-step).
template <class View>
TCONV_HD KAffine k_affine(const View& v, const Part& p, i64 gi, int step) {
  KAffine f{};
  f.K = static_cast<int>(p.k);
  f.C = static_cast<int>(v.k_channels());
  f.ntw = static_cast<int>(v.k_taps_w(p));
  f.step = step;
  if (p.k <= 0) return f;  // a phase without taps: no k-step ever runs
  f.sc = step % f.C;
  f.sw = step / f.C % f.ntw;
  f.sh = step / f.C / f.ntw;
  f.a0 = v.a_col(p, gi, 0);
  f.b0 = v.b_col(p, gi, 0);
  if (f.C > 1) {
    f.ac = aterm_minus(v.a_col(p, gi, 1), f.a0);
    f.bc = v.b_col(p, gi, 1) - f.b0;
  }
  if (f.ntw > 1) {
    f.aw = aterm_minus(v.a_col(p, gi, f.C), f.a0);
    f.bw = v.b_col(p, gi, f.C) - f.b0;
  }
  const i64 row = static_cast<i64>(f.C) * f.ntw;
  if (p.k > row) {
    f.ah = aterm_minus(v.a_col(p, gi, row), f.a0);
    f.bh = v.b_col(p, gi, row) - f.b0;
  }
  return f;
}

// A position on K, decoded: k = (th * ntw + tw) * C + c.
struct KCursor {
  int k, c, tw, th;
};

// The start: the only divisions, once per thread and block.
TCONV_HD KCursor k_cursor(const KAffine& f, int k) {
  if (f.K <= 0) return {k, 0, 0, 0};  // no taps (ntw may be 0): never read
  const int t = k / f.C;
  return {k, k % f.C, t % f.ntw, t / f.ntw};
}

// Forward by the k-step: digit by digit with carries (each digit stays below twice its radix
// before its carry, so one compare each). Adds only.
TCONV_HD void k_advance(const KAffine& f, KCursor& q) {
  q.k += f.step;
  q.c += f.sc;
  const int carry_c = q.c >= f.C;
  q.c -= carry_c * f.C;
  q.tw += f.sw + carry_c;
  const int carry_w = q.tw >= f.ntw;
  q.tw -= carry_w * f.ntw;
  q.th += f.sh + carry_w;
}

// The view's a_col(k) / b_col(k) at the cursor, or the outside sentinels past K.
TCONV_HD ATerm k_a(const KAffine& f, const KCursor& q) {
  if (q.k >= f.K) return a_col_outside();
  const i64 c = q.c, th = q.th, tw = q.tw;
  return {f.a0.off + c * f.ac.off + th * f.ah.off + tw * f.aw.off, f.a0.y + c * f.ac.y + th * f.ah.y + tw * f.aw.y,
          f.a0.x + c * f.ac.x + th * f.ah.x + tw * f.aw.x};
}
TCONV_HD i64 k_b(const KAffine& f, const KCursor& q) {
  if (q.k >= f.K) return -1;
  return f.b0 + q.c * f.bc + q.th * f.bh + q.tw * f.bw;
}

}  // namespace tconv::cuda::mma
