// simt128_packed_filter.h on the CPU: the packed filter holds each B element of every phase GEMM
// at packed_row(k) + n, once; packing applies exactly where B's rows are scattered; packed B
// quads are 16-byte copies; and phase_simt128 without a workspace (the device filter read as
// is) still matches the oracle, since a zero workspace limit takes that path.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_simt128.h"
#include "backends/cuda/simt128_emulate.h"
#include "backends/cuda/simt128_packed_filter.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda::simt128 {
namespace {

ConvGeometry geometry(const char* repro) {
  const Result<Problem> p = parse_problem(repro);
  EXPECT_TRUE(p.ok()) << repro;
  return mma::geometry_of(*p);
}

// Every (part, group, k, n) of the view's GEMM: the packed element at packed_row + n is the
// device filter element b_at names; every filter element is packed once, every pad is -1.
template <class View>
std::string check_packing(const View& v) {
  const PackedPhaseSpec<View> sp = packed_spec(v);
  const PackedFilter pf = sp.filter();
  const ConvGeometry& g = v.g;
  const i64 filter = g.c_in * g.cog() * g.kh * g.kw;
  std::vector<int> seen(static_cast<std::size_t>(filter), 0);
  for (i64 j = 0; j < pf.elements(); ++j) {
    const i64 src = pf.source(j);
    if (src < -1 || src >= filter) return "packed element " + std::to_string(j) + " reads " + std::to_string(src);
    if (src >= 0) ++seen[static_cast<std::size_t>(src)];
    if ((src < 0) != (j % pf.n_pad() >= pf.n_count())) return "pad mismatch at " + std::to_string(j);
  }
  for (i64 i = 0; i < filter; ++i)
    if (seen[static_cast<std::size_t>(i)] != 1) return "filter element " + std::to_string(i) + " packed " + std::to_string(seen[i]) + " times";
  for (i64 z = 0; z < v.parts(); ++z) {
    const Seg s = sp.seg(z);
    for (i64 gi = 0; gi < g.groups; ++gi)
      for (i64 k = 0; k < s.p.k; ++k) {
        const ATerm col = sp.b_col(s, gi, k);
        if (col.off % 4 != 0) return "packed row not 16-byte aligned at k " + std::to_string(k);
        for (i64 n = 0; n < v.n_count(); ++n)
          if (pf.source(col.off + sp.b_row(s, gi, n).off) != v.b_at(s.p, gi, k, n))
            return "part " + std::to_string(z) + " group " + std::to_string(gi) + " k " + std::to_string(k) + " n " +
                   std::to_string(n);
      }
  }
  return {};
}

TEST(Simt128PackedFilter, HoldsEveryBElementOfEveryPhaseOnce) {
  std::mt19937_64 rng(71);
  for (int i = 0; i < 300; ++i) {
    const ConvGeometry g = mma::geometry_of(crosscheck::random_problem(rng));
    EXPECT_EQ(check_packing(mma::PhaseFwdView{g}), "") << "fwd, problem " << i;
    EXPECT_EQ(check_packing(mma::PhaseBwdDataView{g}), "") << "bwd_data, problem " << i;
  }
}

TEST(Simt128PackedFilter, AppliesWhereBRowsAreScattered) {
  const ConvGeometry nchw = geometry("n=1 ci=8 co=12 g=2 in=5x5 k=3x3 s=2x2");
  const ConvGeometry nhwc = geometry("n=1 ci=8 co=12 g=2 in=5x5 k=3x3 s=2x2 layout=NHWC wl=IHWO");
  const ConvGeometry pointwise = geometry("n=1 ci=8 co=12 in=5x5 k=1x1 s=1x1");
  // fwd: n is C_out/g, IOHW's stride kh*kw, IHWO's 1 (and IOHW's with a 1 x 1 kernel).
  EXPECT_EQ(packed_filter_elements(true, nchw), 8 * 3 * 3 * 8);  // cog 6 padded to 8
  EXPECT_EQ(packed_filter_elements(true, nhwc), 0);
  EXPECT_EQ(packed_filter_elements(true, pointwise), 0);
  // bwd_data: n is C_in/g, the slowest axis in both formats.
  EXPECT_EQ(packed_filter_elements(false, nchw), 2 * 6 * 3 * 3 * 4);
  EXPECT_EQ(packed_filter_elements(false, nhwc), 2 * 6 * 3 * 3 * 4);
  EXPECT_EQ(packed_filter_elements(false, pointwise), 12 * 8);
  // The workspace asked for follows, within the limit.
  EXPECT_EQ(phase_simt128_workspace_bytes(Direction::fwd, nchw, 1 << 20), 8u * 3 * 3 * 8 * 4);
  EXPECT_EQ(phase_simt128_workspace_bytes(Direction::fwd, nchw, 100), 0u);
  EXPECT_EQ(phase_simt128_workspace_bytes(Direction::fwd, nhwc, 1 << 20), 0u);
  EXPECT_EQ(phase_simt128_workspace_bytes(Direction::bwd_weights, nchw, 1 << 20), 0u);
}

// Block (0, 0, 0) of a spec after its first table fill: rows, and k-step 0's column terms in
// slot 0, as the kernel has them when it issues that step's copies.
template <class Spec>
struct FirstStep {
  const Spec& sp;
  Seg s;
  Block b;
  Tables tab{};
  explicit FirstStep(const Spec& spec) : sp(spec), s(spec.seg(0)), b(block_at(spec.n_count(), 0, 0, 0)) {
    mma::KCursor walks[kColumnWalks] = {};
    start_tables(sp, s, b, tab, walks, 1);
  }
  // Thread tid's copies of its B quad (b) or A quad (!b), base pointers aligned.
  QuadCopy copy(int tid, bool b_operand) const {
    const Quad q = quad(tid, b_operand);
    return b_operand ? quad_copy(tab.b_rows, tab.b_cols[0], sp.b_lim_h(), sp.b_lim_w(), q, row_quad_step(tab.b_rows, q), true)
                     : quad_copy(tab.a_rows, tab.a_cols[0], sp.a_lim_h(), sp.a_lim_w(), q, row_quad_step(tab.a_rows, q), true);
  }
  Quad quad(int tid, bool b_operand) const { return load_quad(tid, b_operand ? sp.b_row_fastest() : sp.a_row_fastest()); }
};

// The point of packing: in a block's first k-step every B quad whose 4 rows are inside N is
// one 16-byte copy (fwd and bwd_data, C_out and C_in multiples of 4 per group or not).
template <class View>
std::string count_scalar_quads(const View& v, int* vec_quads) {
  const PackedPhaseSpec<View> sp = packed_spec(v);
  const FirstStep<PackedPhaseSpec<View>> first(sp);
  for (int tid = 0; tid < Cfg::THREADS; ++tid) {
    const Quad q = first.quad(tid, true);
    const QuadCopy c = first.copy(tid, true);
    const bool inside = first.b.n0 + q.row0 + 3 < sp.n_count() && q.k0 < first.s.p.k;
    if (inside && !c.vec) return "thread " + std::to_string(tid) + ": four 4-byte copies";
    *vec_quads += c.vec;
  }
  return {};
}

TEST(Simt128PackedFilter, BQuadsAreSixteenByteCopies) {
  for (const char* repro : {"n=1 ci=64 co=48 in=6x6 k=4x4 s=2x2 crop=1,1,1,1", "n=1 ci=30 co=22 g=2 in=5x5 k=3x3 s=2x2",
                            "n=1 ci=64 co=48 in=6x6 k=3x3 s=2x2 layout=NHWC wl=IHWO"}) {
    const ConvGeometry g = geometry(repro);
    int vec_fwd = 0, vec_bwd = 0;
    EXPECT_EQ(count_scalar_quads(mma::PhaseFwdView{g}, &vec_fwd), "") << repro << " fwd";
    EXPECT_EQ(count_scalar_quads(mma::PhaseBwdDataView{g}, &vec_bwd), "") << repro << " bwd_data";
    EXPECT_GT(vec_fwd, 0) << repro;
    EXPECT_GT(vec_bwd, 0) << repro;
  }
}

// The global-memory cost of one operand's copies in a block's first k-step, counted from the
// copies themselves: copy instructions a warp issues (one 16-byte copy, or four 4-byte ones,
// per lane's quad) and the 32-byte sectors each instruction touches, summed over the 8 warps.
struct CopyCost {
  int instructions = 0, sectors = 0;
};
template <class Spec>
CopyCost copy_cost(const Spec& sp, bool b_operand) {
  const FirstStep<Spec> first(sp);
  CopyCost cost;
  for (int warp = 0; warp < Cfg::THREADS / 32; ++warp) {
    std::set<std::uint32_t> vec_sectors, scalar_sectors[4];
    bool any_vec = false, any_scalar = false;
    for (int lane = 0; lane < 32; ++lane) {
      const QuadCopy c = first.copy(warp * 32 + lane, b_operand);
      (c.vec ? any_vec : any_scalar) = true;
      for (int e = 0; e < 4; ++e)
        if (c.src[e].valid) (c.vec ? vec_sectors : scalar_sectors[e]).insert(c.src[e].off * 4 / 32);
    }
    cost.instructions += (any_vec ? 1 : 0) + (any_scalar ? 4 : 0);
    cost.sectors += static_cast<int>(vec_sectors.size());
    for (const auto& e : scalar_sectors) cost.sectors += static_cast<int>(e.size());
  }
  return cost;
}

// On real NCHW layers packing cuts B's copy instructions per k-step 4x (one 16-byte copy for four
// 4-byte ones) and its sectors 8x (a warp's 512 contiguous bytes for 32 scattered elements x 4).
// A's cost, and wgrad_simt128's (bwd_weights: x and dy, both contiguous along K = pixels, so
// k-fastest 4-byte copies into the k-major tile), are printed beside it for scale: what the
// next change to the copies would target.
TEST(Simt128PackedFilter, BCopiesTouchFewerSectorsOnRealLayers) {
  for (const char* repro : {"n=64 ci=512 co=256 in=4x4 k=4x4 s=2x2 crop=1,1,1,1", "n=4 ci=256 co=128 in=64x64 k=3x3 s=2x2 crop=1,0,1,0",
                            "n=4 ci=512 co=256 in=64x64 k=2x2 s=2x2"}) {
    const ConvGeometry g = geometry(repro);
    const PhaseSpec<mma::PhaseFwdView> fwd_spec{mma::PhaseFwdView{g}};
    const PhaseSpec<mma::PhaseBwdDataView> bwd_spec{mma::PhaseBwdDataView{g}};
    const CopyCost fwd = copy_cost(fwd_spec, true), fwd_packed = copy_cost(packed_spec(mma::PhaseFwdView{g}), true);
    const CopyCost bwd = copy_cost(bwd_spec, true), bwd_packed = copy_cost(packed_spec(mma::PhaseBwdDataView{g}), true);
    const CopyCost fwd_a = copy_cost(fwd_spec, false), bwd_a = copy_cost(bwd_spec, false);
    const WgradSpec wgrad{g, 1, g.n * g.h_in * g.w_in};
    const CopyCost wgrad_a = copy_cost(wgrad, false), wgrad_b = copy_cost(wgrad, true);
    std::printf("%s: copy instructions / sectors per block k-step: fwd B %d / %d, packed %d / %d, A %d / %d; "
                "bwd_data B %d / %d, packed %d / %d, A %d / %d; bwd_weights A %d / %d, B %d / %d\n",
                repro, fwd.instructions, fwd.sectors, fwd_packed.instructions, fwd_packed.sectors, fwd_a.instructions,
                fwd_a.sectors, bwd.instructions, bwd.sectors, bwd_packed.instructions, bwd_packed.sectors,
                bwd_a.instructions, bwd_a.sectors, wgrad_a.instructions, wgrad_a.sectors, wgrad_b.instructions,
                wgrad_b.sectors);
    EXPECT_LE(fwd_packed.instructions * 4, fwd.instructions) << repro;
    EXPECT_LE(fwd_packed.sectors * 8, fwd.sectors) << repro;
    EXPECT_LE(bwd_packed.instructions * 4, bwd.instructions) << repro;
    EXPECT_LE(bwd_packed.sectors * 8, bwd.sectors) << repro;
  }
}

// phase_simt128 given no workspace: the device filter read in place, as before packing.
TEST(Simt128PackedFilter, UnpackedKernelStillMatchesOracle) {
  std::mt19937_64 rng(72);
  int failures = 0;
  for (int i = 0; i < 150 && failures < 5; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const Direction d = i % 2 == 0 ? Direction::fwd : Direction::bwd_data;
    const std::string why = mma::check_against_oracle(
        p, d, DType::f32, rng, [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
          emulate_phase_simt128(d, g, static_cast<const float*>(A), static_cast<const float*>(B),
                                static_cast<const float*>(bias), static_cast<float*>(C), EmuAligned{}, false);
        });
    failures += !why.empty();
    EXPECT_EQ(why, "") << "problem " << i << ": " << to_repro(p);
  }
}

}  // namespace
}  // namespace tconv::cuda::simt128
