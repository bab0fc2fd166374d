#include "backends/cuda/k_cursor.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/simt128_block.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::mma {
namespace {

bool same(const ATerm& a, const ATerm& b) { return a.off == b.off && a.y == b.y && a.x == b.x; }

// Every start a kernel thread may take (0 .. step - 1) walked by `step` up to past K: at each
// position the cursor's terms are the view's a_col / b_col, or the outside sentinels past K.
template <class View>
std::string check_walks(const View& v, int step) {
  for (i64 z = 0; z < v.parts(); ++z) {
    const Part p = v.part(z);
    for (i64 gi = 0; gi < v.g.groups; ++gi) {
      const KAffine f = k_affine(v, p, gi, step);
      for (int start = 0; start < step; ++start) {
        KCursor q = k_cursor(f, start);
        for (i64 k = start; k < p.k + step; k += step, k_advance(f, q)) {
          const bool inside = k < p.k;
          const ATerm want_a = inside ? v.a_col(p, gi, k) : a_col_outside();
          const i64 want_b = inside ? v.b_col(p, gi, k) : -1;
          if (q.k != k || !same(k_a(f, q), want_a) || k_b(f, q) != want_b)
            return "z=" + std::to_string(z) + " gi=" + std::to_string(gi) + " k=" + std::to_string(k) +
                   " start=" + std::to_string(start) + ": the cursor's terms differ from a_col / b_col";
        }
      }
    }
  }
  return {};
}

TEST(KCursor, WalksEqualTheViewsColumnTermsAtEveryK) {
  std::mt19937_64 rng(91);
  int checked = 0;
  for (int i = 0; i < 300; ++i) {
    Problem p = crosscheck::random_problem(rng, {});
    p.layout = i % 2 ? Layout::NHWC : Layout::NCHW;
    const ConvGeometry g = geometry_of(in_device_formats(p, DType::f32));
    for (int step : {1, 3, 8, 32}) {
      const std::string fwd = check_walks(PhaseFwdView{g}, step), bwd = check_walks(PhaseBwdDataView{g}, step);
      ASSERT_TRUE(fwd.empty()) << "fwd " << fwd << ": " << to_repro(p);
      ASSERT_TRUE(bwd.empty()) << "bwd_data " << bwd << ": " << to_repro(p);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 300);
}

TEST(KCursor, WalksEqualTheKEqualsSViewsColumnTerms) {
  std::mt19937_64 rng(92);
  for (int i = 0; i < 200; ++i) {
    Problem p = crosscheck::random_problem(rng, {});
    // k == s, no crop: the pixel-shuffle views' domain.
    p.kh = p.stride_h, p.kw = p.stride_w, p.dil_h = p.dil_w = 1;
    p.crop_top = p.crop_bottom = p.crop_left = p.crop_right = 0;
    p.layout = i % 2 ? Layout::NHWC : Layout::NCHW;
    const ConvGeometry g = geometry_of(in_device_formats(p, DType::f32));
    for (int step : {1, 5, 16, 32}) {
      const std::string fwd = check_walks(KsFwdView{g}, step), bwd = check_walks(KsBwdDataView{g}, step);
      ASSERT_TRUE(fwd.empty()) << "k == s fwd " << fwd << ": " << to_repro(p);
      ASSERT_TRUE(bwd.empty()) << "k == s bwd_data " << bwd << ": " << to_repro(p);
    }
  }
}

// simt128's walks: each of the 16 column threads from its entry of a segment's first k-step,
// by its k-step; the phase specs over a part, the weight gradient's over each split of K.
template <class Spec>
std::string check_spec_walks(const Spec& sp) {
  for (i64 z = 0; z < sp.parts(); ++z) {
    const simt128::Seg s = sp.seg(z);
    for (i64 gi = 0; gi < sp.groups(); ++gi) {
      const KAffine f = simt128::seg_k_affine(sp, s, gi);
      for (int tid = 0; tid < simt128::Cfg::THREADS; ++tid) {
        const int entry = simt128::column_entry(tid);
        if (entry < 0) continue;
        KCursor q = simt128::column_start(f, s, tid);
        for (i64 k = s.k_begin + entry; k < s.k_end + simt128::Cfg::BK; k += simt128::Cfg::BK, k_advance(f, q)) {
          const bool inside = k < s.k_end;
          const ATerm a = inside ? sp.a_col(s, gi, k) : a_col_outside(), b = inside ? sp.b_col(s, gi, k) : a_col_outside();
          if (q.k != k || !same(k_a(f, q), a) || !same(k_b_term(f, q), b))
            return "z=" + std::to_string(z) + " gi=" + std::to_string(gi) + " k=" + std::to_string(k) +
                   ": the walk's terms differ from a_col / b_col";
        }
      }
    }
  }
  return {};
}

TEST(KCursor, Simt128WalksEqualTheSpecsColumnTerms) {
  std::mt19937_64 rng(93);
  for (int i = 0; i < 150; ++i) {
    Problem p = crosscheck::random_problem(rng, {});
    p.layout = i % 2 ? Layout::NHWC : Layout::NCHW;
    const ConvGeometry g = geometry_of(in_device_formats(p, DType::f32));
    const std::string fwd = check_spec_walks(simt128::PhaseSpec<PhaseFwdView>{PhaseFwdView{g}});
    const std::string bwd = check_spec_walks(simt128::PhaseSpec<PhaseBwdDataView>{PhaseBwdDataView{g}});
    const i64 k_total = g.n * g.h_in * g.w_in, per_split = 1 + static_cast<i64>(rng() % static_cast<std::uint64_t>(k_total));
    const std::string wgrad = check_spec_walks(simt128::WgradSpec{g, (k_total + per_split - 1) / per_split, per_split});
    ASSERT_TRUE(fwd.empty()) << "fwd " << fwd << ": " << to_repro(p);
    ASSERT_TRUE(bwd.empty()) << "bwd_data " << bwd << ": " << to_repro(p);
    ASSERT_TRUE(wgrad.empty()) << "bwd_weights " << wgrad << ", " << per_split << " per split: " << to_repro(p);
  }
}

// The coefficients come from a_col / b_col at a few k; a view whose terms were not affine in
// (c, th, tw) would be walked wrong somewhere. A deliberately non-affine view shows the test
// above can fail.
struct BentView : PhaseBwdDataView {
  TCONV_HD ATerm a_col(const Part& p, i64 gi, i64 k) const {
    ATerm a = PhaseBwdDataView::a_col(p, gi, k);
    a.off += (k / g.cog()) * (k / g.cog());  // quadratic in the tap
    return a;
  }
};

TEST(KCursor, ANonAffineViewIsCaught) {
  ConvGeometry g{};
  g.n = 1, g.c_in = 2, g.c_out = 3, g.groups = 1, g.h_in = 4, g.w_in = 5, g.kh = 3, g.kw = 3;
  g.stride_h = g.stride_w = 2, g.dil_h = g.dil_w = 1, g.crop_top = g.crop_left = 1;
  g.h_out = 7, g.w_out = 9;
  EXPECT_TRUE(check_walks(PhaseBwdDataView{g}, 8).empty());
  EXPECT_FALSE(check_walks(BentView{{g}}, 8).empty());
}

}  // namespace
}  // namespace tconv::cuda::mma
