// Kernel family v5b (phase_wgmma_ws.cu) on the CPU: the ring positions and the mbarrier
// model, the producer's chunk cover, the persistent schedule, and every block emulated
// (phase_wgmma_ws_emulator.h) in random interleavings of its producer, its copies landing and
// its two consumers, over each of its tiles, against the oracle. Each part of the protocol,
// changed alone, is caught.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_wgmma_ws.h"
#include "backends/cuda/phase_wgmma_ws_emulator.h"
#include "backends/cuda/tc_test_support.h"

namespace tconv::cuda::wg {
namespace {

using mma::geometry_of;

TEST(PhaseWgmmaWs, RingPositionsFollowTheKStep) {
  RingPos p = ws_producer_start(), c = ws_consumer_start();
  for (i64 kt = 0; kt < 40; ++kt) {
    const int stage = static_cast<int>(kt % WsCfg::STAGES);
    const unsigned round = static_cast<unsigned>(kt / WsCfg::STAGES) & 1u;
    ASSERT_EQ(c.stage, stage);
    ASSERT_EQ(p.stage, stage);
    ASSERT_EQ(c.parity, round) << "k-step " << kt << " waits for its round's copies";
    ASSERT_EQ(p.parity, round ^ 1u) << "k-step " << kt << " waits for the previous round's release";
    p = ring_next(p);
    c = ring_next(c);
  }
}

TEST(PhaseWgmmaWs, MbarrierModelCompletesAPhasePerCountArrivals) {
  MbarrierModel b(3);
  EXPECT_TRUE(b.passes(1)) << "a fresh barrier is in phase 0: the phase of parity 1 counts as completed";
  EXPECT_FALSE(b.passes(0));
  b.arrive(2);
  EXPECT_FALSE(b.passes(0));
  b.arrive(1);
  EXPECT_TRUE(b.passes(0));
  EXPECT_FALSE(b.passes(1));
  b.arrive(3);
  EXPECT_TRUE(b.passes(1));
}

TEST(PhaseWgmmaWs, ProducerChunksCoverEachTileOnceInsideTheirStage) {
  tc::check_chunk_cover<WsCfg>();
  EXPECT_EQ(WsCfg::SMEM_BYTES, 6 * 32 * 1024 + 1024);
  EXPECT_EQ(WsCfg::BLOCK_THREADS, 384);
}

// A persistent grid has one block per slot, never more than tiles, and tile t is the grouped
// grid's block (t % x, t / x): the blocks' walk (b, b + grid, ...) keeps the grouped order.
TEST(PhaseWgmmaWs, PersistentBlocksTakeTheGroupedGridsTilesInOrder) {
  EXPECT_EQ(tc::persistent_blocks(1000, 132), 132);
  EXPECT_EQ(tc::persistent_blocks(7, 132), 7);
  EXPECT_EQ(tc::persistent_blocks(0, 132), 0);
  Problem p = tc::small_tile_problem();
  p.groups = 2;
  p.c_in = p.c_out = 16;
  const mma::PhaseFwdView v{geometry_of(mma::in_device_formats(p, DType::f16))};
  const tc::TileSchedule s = tc::tile_schedule(v);
  const mma::Grid3 g3 = tc::tc_grid(v);
  ASSERT_EQ(s.tiles, g3.x * g3.y);
  ASSERT_GT(g3.y, 1);
  for (i64 t = 0; t < s.tiles; ++t) {
    const tc::TcBlock a = tc::scheduled_tile(v, s, t), b = tc::tc_block(v, t % g3.x, t / g3.x);
    ASSERT_EQ(std::vector<i64>({a.z, a.gi, a.m0, a.n0}), std::vector<i64>({b.z, b.gi, b.m0, b.n0}));
  }
}

// Each tile releases every stage it used: the loop's releases and the tail's, for any K.
TEST(PhaseWgmmaWs, ATileReleasesEachStageItUsed) {
  for (i64 steps = 0; steps < 20; ++steps) {
    i64 in_loop = 0;
    for (i64 kt = 0; kt < steps; ++kt) in_loop += kt >= kWsReleaseLag ? 1 : 0;
    ASSERT_EQ(in_loop + ws_tail_releases(steps), steps) << steps << " k-steps";
  }
}

// blocks: the persistent grid's size (0: one block per tile).
std::string emulate(const Problem& p, Direction d, DType t, std::mt19937_64& rng, const WsProtocol& proto = {},
                    i64 blocks = 2) {
  const std::uint64_t seed = rng();
  return tc::emulated_against_oracle(p, d, t, rng, phase_wgmma_ws_refuses,
                                     [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
                                       emulate_phase_wgmma_ws(d, g, t, A, B, bias, C, seed, proto, blocks);
                                     });
}

void sweep(Direction d, DType t, int count, std::uint64_t seed) {
  tc::sweep_random_tile_problems(count, seed, WsCfg::CHUNK,
                                 [&](const Problem& p, std::mt19937_64& rng) { return emulate(p, d, t, rng); });
}

TEST(PhaseWgmmaWs, FwdF16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::f16, 40, 91); }
TEST(PhaseWgmmaWs, FwdBf16EmulatedMatchesOracle) { sweep(Direction::fwd, DType::bf16, 40, 92); }
TEST(PhaseWgmmaWs, BwdDataF16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::f16, 40, 93); }
TEST(PhaseWgmmaWs, BwdDataBf16EmulatedMatchesOracle) { sweep(Direction::bwd_data, DType::bf16, 40, 94); }

// Grids of 1 block (every tile in one), 3 blocks, and one block per tile, in turn.
TEST(PhaseWgmmaWs, MultiTileAndEdgeShapesMatchOracleInManyInterleavings) {
  std::mt19937_64 rng(95);
  const i64 grids[] = {1, 3, 0};
  int call = 0;
  tc::check_multi_tile_and_edge_shapes<WsCfg>(rng, [&](const Problem& p, Direction d, DType t) {
    return emulate(p, d, t, rng, {}, grids[call++ % 3]);
  });
}

// A problem of 2 tiles of 18 k-steps of 64 each (9 taps x 128 channels): each tile walks 3
// rounds of the ring, and the caught() below runs both in one block.
Problem long_ring_problem() {
  Problem p = tc::small_tile_problem();
  p.n = 9;  // bwd_data's M: 9 images x 16 pixels, 2 tiles of 128
  p.c_in = p.c_out = 128;
  p.stride_h = p.stride_w = 1;
  return p;
}

// 7 tiles of one k-step each (bwd_data: K = 64 channels x 1 tap), more than the ring's stages.
Problem short_tiles_problem() {
  Problem p = tc::small_tile_problem();
  p.n = 56;  // M: 56 images x 16 pixels
  p.c_in = p.c_out = 64;
  p.kh = p.kw = 1;
  p.stride_h = p.stride_w = 1;
  return p;
}

// Whether some interleaving of the changed protocol goes wrong, every tile in one block: a
// wrong result, a refilled stage under a running batch, or a deadlock.
std::string caught(const WsProtocol& proto, const Problem& p = long_ring_problem()) {
  std::mt19937_64 rng(96);
  for (int i = 0; i < 12; ++i) {
    try {
      const std::string why = emulate(p, Direction::bwd_data, DType::f16, rng, proto, 1);
      if (!why.empty()) return "wrong result";
    } catch (const std::logic_error& e) {
      return e.what();
    }
  }
  return "";
}

TEST(PhaseWgmmaWs, TheKernelsProtocolHoldsAndEachChangeToItIsCaught) {
  std::mt19937_64 rng(97);
  const mma::PhaseBwdDataView v{geometry_of(mma::in_device_formats(long_ring_problem(), DType::f16))};
  ASSERT_GE(tc::tiles_of(v.part(0).k, WsCfg::BK), 3 * WsCfg::STAGES);
  ASSERT_EQ(tc::tile_schedule(v).tiles, 2);
  EXPECT_EQ(caught(WsProtocol{}), "");

  WsProtocol early_release;  // the stage of the batch just issued, not of the retired one
  early_release.release_lag = 0;
  const std::string changed = "a stage changed (a copy landed or a refill began) while a wgmma batch read it";
  EXPECT_EQ(caught(early_release), changed);

  WsProtocol eager_consumer;  // waits for a phase that a fresh barrier reports completed: reads too early
  eager_consumer.consumer_start = {0, 1u};
  EXPECT_EQ(caught(eager_consumer), changed);

  WsProtocol patient_producer;  // waits for a release that needs its own copies first
  patient_producer.producer_start = {0, 0u};
  EXPECT_EQ(caught(patient_producer),
            "deadlock: producer at tile 0 k-step 0, consumer 0 at tile 0 k-step 0, consumer 1 at tile 0 k-step 0 "
            "(tiles of 2)");

  // Without the tail's releases each tile keeps a stage: the ring shrinks tile by tile and
  // stops once every stage is kept (the loop's releases, one step late, hide it while a tile has
  // several k-steps).
  WsProtocol no_tail_release;
  no_tail_release.release_at_tile_end = false;
  const mma::PhaseBwdDataView short_tiles{geometry_of(mma::in_device_formats(short_tiles_problem(), DType::f16))};
  ASSERT_EQ(tc::tiles_of(short_tiles.part(0).k, WsCfg::BK), 1);
  ASSERT_EQ(tc::tile_schedule(short_tiles).tiles, WsCfg::STAGES + 1);
  EXPECT_EQ(caught(WsProtocol{}, short_tiles_problem()), "");
  EXPECT_EQ(caught(no_tail_release, short_tiles_problem()),
            "deadlock: producer at tile 6 k-step 0, consumer 0 at tile 6 k-step 0, consumer 1 at tile 6 k-step 0 "
            "(tiles of 7)");

  WsProtocol half_full;  // half the producer threads' copies complete a phase
  half_full.full_arrivals = WsCfg::LOAD_THREADS / 2;
  EXPECT_EQ(caught(half_full), changed);

  WsProtocol one_warpgroup_frees;  // one consumer's release frees the stage the other still reads
  one_warpgroup_frees.empty_arrivals = WsCfg::MMA_THREADS / 2;
  EXPECT_EQ(caught(one_warpgroup_frees), changed);
}

TEST(PhaseWgmmaWs, RefusesWhatItDoesNotRun) {
  Problem p = tc::small_tile_problem();
  const ConvGeometry g = geometry_of(mma::in_device_formats(p, DType::f16));
  EXPECT_EQ(phase_wgmma_ws_refuses(Direction::fwd, g, DType::f16), Status::Ok());
  EXPECT_EQ(phase_wgmma_ws_refuses(Direction::fwd, g, DType::f32),
            Status::Unsupported("phase_wgmma_ws: dtype f32 not supported (f16 and bf16 only)"));
  EXPECT_EQ(phase_wgmma_ws_refuses(Direction::bwd_weights, g, DType::f16),
            Status::Unsupported("phase_wgmma_ws: fwd and bwd_data only"));
}

}  // namespace
}  // namespace tconv::cuda::wg
