// Kernel family v5 (phase_wgmma.cu) on the CPU: wg_tile.h's shared-memory layouts and
// accumulator map checked against CuTe's own (the layouts the kernel builds its wgmma
// descriptors from, the partition of its tiled MMA), the chunk cover and stage order of the
// configuration, and every block emulated (phase_wgmma_emulator.h) against the oracle on the
// problems the family accepts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_wgmma.h"
#include "backends/cuda/phase_wgmma_emulator.h"
#include "backends/cuda/tc_test_support.h"
#include "backends/cuda/wg_cute.h"

namespace tconv::cuda::wg {
namespace {

using mma::geometry_of;

// The element offset CuTe gives (row, k) of a layout over a swizzle-atom-aligned stage.
template <class T, class Layout>
int cute_offset(const Layout& layout, int row, int k) {
  static T* base = [] {
    void* p = std::aligned_alloc(WgCfg::ALIGN_BYTES, static_cast<std::size_t>(WgCfg::STAGE_ELEMS) * sizeof(T));
    return static_cast<T*>(p);
  }();
  auto tensor = cute::make_tensor(cute::make_smem_ptr(base), layout);
  return static_cast<int>(&tensor(row, k) - base);
}

template <class T>
void check_layouts() {
  const typename WgCute<T, false>::LayoutA a{};
  const typename WgCute<T, false>::LayoutB b_k{};
  const typename WgCute<T, true>::LayoutB b_mn{};
  for (int r = 0; r < WgCfg::BM; ++r)
    for (int k = 0; k < WgCfg::BK; ++k) {
      ASSERT_EQ(WgCfg::rk(r, k), cute_offset<T>(a, r, k)) << "A (" << r << ", " << k << ")";
      ASSERT_EQ(WgCfg::rk(r, k), cute_offset<T>(b_k, r, k)) << "K-major B (" << r << ", " << k << ")";
      ASSERT_EQ(WgCfg::kn(k, r), cute_offset<T>(b_mn, r, k)) << "MN-major B (n " << r << ", k " << k << ")";
    }
}

TEST(PhaseWgmma, SharedMemoryLayoutsAreCutesGmmaLayouts) {
  check_layouts<cute::half_t>();
  check_layouts<cute::bfloat16_t>();
}

// Register i of thread tid holds the element CuTe's partition of the tiled MMA names; the
// epilogue's pairs (wg_c_pair) are those registers two by two, and they cover the tile once.
template <class T, bool BKN>
void check_accumulators() {
  typename WgCute<T, BKN>::TiledMma mma;
  const auto ident = cute::make_identity_tensor(cute::Shape<cute::Int<WgCfg::BM>, cute::Int<WgCfg::BN>>{});
  std::vector<int> seen(WgCfg::BM * WgCfg::BN, 0);
  for (int tid = 0; tid < WgCfg::THREADS; ++tid) {
    const auto coords = mma.get_thread_slice(tid).partition_C(ident);
    ASSERT_EQ(static_cast<int>(cute::size(coords)), WgCfg::ACC);
    for (int i = 0; i < WgCfg::ACC; ++i) {
      const auto c = coords(i);
      const Idx2 e = wg_c_pair(tid, i / 2);
      ASSERT_EQ(static_cast<int>(cute::get<0>(c)), e.row) << "thread " << tid << " register " << i;
      ASSERT_EQ(static_cast<int>(cute::get<1>(c)), e.k + i % 2) << "thread " << tid << " register " << i;
      ++seen[e.row * WgCfg::BN + e.k + i % 2];
    }
  }
  for (int s : seen) ASSERT_EQ(s, 1);
}

TEST(PhaseWgmma, AccumulatorPairsAreCutesPartitionOfTheTiledMma) {
  check_accumulators<cute::half_t, false>();
  check_accumulators<cute::half_t, true>();
  check_accumulators<cute::bfloat16_t, true>();
}

TEST(PhaseWgmma, ChunksCoverEachTileOnceInsideTheirStage) {
  tc::check_chunk_cover<WgCfg>();
  EXPECT_EQ(WgCfg::SMEM_BYTES, 5 * 32 * 1024 + 1024);
}

// One wgmma batch stays in flight: loads run STAGES - 2 k-steps ahead, and the stage refilled
// at step kt is the one computed at kt - 2, never kt - 1's, whose batch may still read it.
TEST(PhaseWgmma, StageOrderLandsEachStepBeforeItsComputeAndRefillsOnlyARetiredStage) {
  EXPECT_EQ(WgCfg::MMA_IN_FLIGHT, 1);
  EXPECT_EQ(tc::kLookahead<WgCfg>, WgCfg::STAGES - 2);
  tc::check_stage_order<WgCfg>();
}

std::string emulate(const Problem& p, Direction d, DType t, std::mt19937_64& rng, int wait_depth = -1) {
  return tc::emulated_against_oracle(p, d, t, rng, phase_wgmma_refuses,
                                     [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
                                       emulate_phase_wgmma(d, g, t, A, B, bias, C, wait_depth);
                                     });
}

void sweep(Direction d, DType t, int count, std::uint64_t seed) {
  tc::sweep_random_tile_problems(count, seed, WgCfg::CHUNK,
                                 [&](const Problem& p, std::mt19937_64& rng) { return emulate(p, d, t, rng); });
}

TEST(PhaseWgmma, FwdF16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f16, 60, 81); }
TEST(PhaseWgmma, FwdBf16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::bf16, 60, 82); }
TEST(PhaseWgmma, BwdDataF16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f16, 60, 83); }
TEST(PhaseWgmma, BwdDataBf16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::bf16, 60, 84); }

TEST(PhaseWgmma, MultiTileAndEdgeShapesMatchOracle) {
  std::mt19937_64 rng(85);
  tc::check_multi_tile_and_edge_shapes<WgCfg>(
      rng, [&](const Problem& p, Direction d, DType t) { return emulate(p, d, t, rng); });
}

// A wait one group too shallow reads the newest k-step before it lands: NaN in the output.
TEST(PhaseWgmma, AWaitTooShallowIsCaught) {
  std::mt19937_64 rng(86);
  const Problem p = tc::small_tile_problem();
  EXPECT_EQ(emulate(p, Direction::fwd, DType::f16, rng), "");
  EXPECT_NE(emulate(p, Direction::fwd, DType::f16, rng, tc::kWaitDepth<WgCfg> + 1), "");
}

TEST(PhaseWgmma, RefusesWhatItDoesNotRun) {
  Problem p = tc::small_tile_problem();
  const ConvGeometry g = geometry_of(mma::in_device_formats(p, DType::f16));
  EXPECT_EQ(phase_wgmma_refuses(Direction::fwd, g, DType::f16), Status::Ok());
  EXPECT_EQ(phase_wgmma_refuses(Direction::fwd, g, DType::f32),
            Status::Unsupported("phase_wgmma: dtype f32 not supported (f16 and bf16 only)"));
  EXPECT_EQ(phase_wgmma_refuses(Direction::bwd_weights, g, DType::f16),
            Status::Unsupported("phase_wgmma: fwd and bwd_data only"));
  p.layout = Layout::NCHW;
  EXPECT_EQ(phase_wgmma_refuses(Direction::fwd, geometry_of(mma::in_device_formats(p, DType::f16)), DType::f16),
            Status::Unsupported("phase_wgmma: NHWC only"));
}

}  // namespace
}  // namespace tconv::cuda::wg
