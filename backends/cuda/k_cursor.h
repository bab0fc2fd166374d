// A thread's walk along K without divisions in the main loop. The walked views order K as three
// digits, k = (th * ntw + tw) * C + c (the phase views: c the channel, (th, tw) the phase's
// tap; the k == s views: the weights' storage order; the weight gradients: iw, ih, image), and
// their column terms a_col(k) and b_col(k) are affine in (c, tw, th): every index map is
// linear in its coordinates, and a phase's tap step divides exactly. So a block derives the
// coefficients once from a_col / b_col themselves, and each thread advances its digits by the
// k-step's own digits with two carries per k-step, instead of decoding k with 64-bit divisions
// (k / C, t / ntw, the phase's exact divisions, and C_in/g itself: up to 15 division call sites
// per k-step and thread). k_cursor_test.cpp checks the walk against a_col / b_col at every k of
// random problems.
#pragma once

#include "backends/cuda/mma_views.h"

namespace tconv::cuda::mma {

// The walk itself: K's radices and the k-step's digits (step = (sh * ntw + sw) * C + sc). Like
// KAffine, trivially constructible, so a kernel can keep one in shared memory. K < 2^31 (the
// families that use a walk refuse K above 2^30).
struct KDigits {
  int K, C, ntw;
  int step, sc, sw, sh;
};
TCONV_HD KDigits k_digits(i64 k_end, i64 C, i64 ntw, int step) {
  KDigits d{};
  d.K = static_cast<int>(k_end);
  d.C = static_cast<int>(C);
  d.ntw = static_cast<int>(ntw);
  d.step = step;
  if (C > 0 && ntw > 0) {
    d.sc = step % d.C;
    d.sw = step / d.C % d.ntw;
    d.sh = step / d.C / d.ntw;
  }
  return d;
}

// The walk and the column terms' coefficients of one (part, group).
struct KAffine {
  KDigits d;
  ATerm a0, ac, ah, aw;  // a_col = a0 + c*ac + th*ah + tw*aw (each of off, y, x)
  ATerm b0, bc, bh, bw;  // b_col alike (views whose B terms are plain offsets: y = x = 0)
};

TCONV_HD ATerm aterm_minus(const ATerm& a, const ATerm& b) { return {a.off - b.off, a.y - b.y, a.x - b.x}; }
TCONV_HD ATerm as_term(const ATerm& t) { return t; }
TCONV_HD ATerm as_term(i64 off) { return {off, 0, 0}; }

// From column-term functions a(k), b(k) (valid for 0 <= k < k_total) at k = 0, 1, C and C*ntw
// (those that exist), for a walk of `step` that is past its end from k_end on.
template <class ACol, class BCol>
TCONV_HD KAffine k_affine_from(ACol&& a, BCol&& b, i64 k_total, i64 k_end, i64 C, i64 ntw, int step) {
  KAffine f{};
  f.d = k_digits(k_end, C, ntw, step);
  if (k_total <= 0) return f;  // a phase without taps: no k-step ever runs
  f.a0 = as_term(a(0));
  f.b0 = as_term(b(0));
  if (C > 1) {
    f.ac = aterm_minus(as_term(a(1)), f.a0);
    f.bc = aterm_minus(as_term(b(1)), f.b0);
  }
  if (ntw > 1) {
    f.aw = aterm_minus(as_term(a(C)), f.a0);
    f.bw = aterm_minus(as_term(b(C)), f.b0);
  }
  if (k_total > C * ntw) {
    f.ah = aterm_minus(as_term(a(C * ntw)), f.a0);
    f.bh = aterm_minus(as_term(b(C * ntw)), f.b0);
  }
  return f;
}

// A view's walk over a whole part (its K digits from k_channels() and k_taps_w()).
template <class View>
TCONV_HD KAffine k_affine(const View& v, const Part& p, i64 gi, int step) {
  return k_affine_from([&](i64 k) { return v.a_col(p, gi, k); }, [&](i64 k) { return v.b_col(p, gi, k); }, p.k, p.k,
                       v.k_channels(), v.k_taps_w(p), step);
}

// A position on K, decoded: k = (th * ntw + tw) * C + c.
struct KCursor {
  int k, c, tw, th;
};

// The start: the only divisions, once per thread and block.
TCONV_HD KCursor k_cursor(const KDigits& d, int k) {
  if (d.K <= 0 || d.C <= 0 || d.ntw <= 0) return {k, 0, 0, 0};  // no taps: never read
  const int t = k / d.C;
  return {k, k % d.C, t % d.ntw, t / d.ntw};
}
TCONV_HD KCursor k_cursor(const KAffine& f, int k) { return k_cursor(f.d, k); }

// Forward by the k-step: digit by digit with carries (each digit stays below twice its radix
// before its carry, so one compare each). Adds only.
TCONV_HD void k_advance(const KDigits& d, KCursor& q) {
  q.k += d.step;
  q.c += d.sc;
  const int carry_c = q.c >= d.C;
  q.c -= carry_c * d.C;
  q.tw += d.sw + carry_c;
  const int carry_w = q.tw >= d.ntw;
  q.tw -= carry_w * d.ntw;
  q.th += d.sh + carry_w;
}
TCONV_HD void k_advance(const KAffine& f, KCursor& q) { k_advance(f.d, q); }

// The terms at the cursor: a_col(k) / b_col(k), or the outside sentinels past the end.
TCONV_HD ATerm affine_at(const ATerm& t0, const ATerm& tc, const ATerm& th, const ATerm& tw, const KCursor& q) {
  return {t0.off + i64{q.c} * tc.off + i64{q.th} * th.off + i64{q.tw} * tw.off, t0.y + q.c * tc.y + q.th * th.y + q.tw * tw.y,
          t0.x + q.c * tc.x + q.th * th.x + q.tw * tw.x};
}
TCONV_HD ATerm k_a(const KAffine& f, const KCursor& q) {
  return q.k >= f.d.K ? a_col_outside() : affine_at(f.a0, f.ac, f.ah, f.aw, q);
}
// B as an offset (-1 past the end), for views whose B terms are offsets...
TCONV_HD i64 k_b(const KAffine& f, const KCursor& q) {
  return q.k >= f.d.K ? -1 : f.b0.off + q.c * f.bc.off + q.th * f.bh.off + q.tw * f.bw.off;
}
// ... and as a checked term (the outside sentinel past the end), for specs whose B is one.
TCONV_HD ATerm k_b_term(const KAffine& f, const KCursor& q) {
  return q.k >= f.d.K ? a_col_outside() : affine_at(f.b0, f.bc, f.bh, f.bw, q);
}

}  // namespace tconv::cuda::mma
