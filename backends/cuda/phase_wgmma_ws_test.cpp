// Kernel family v5b (phase_wgmma_ws.cu) on the CPU: the ring positions and the mbarrier
// model, the producer's chunk cover, and every block emulated (phase_wgmma_ws_emulator.h) in
// random interleavings of its producer, its copies landing and its two consumers, against the
// oracle. Each part of the protocol, changed alone, is caught.
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

std::string emulate(const Problem& p, Direction d, DType t, std::mt19937_64& rng, const WsProtocol& proto = {}) {
  const std::uint64_t seed = rng();
  return tc::emulated_against_oracle(p, d, t, rng, phase_wgmma_ws_refuses,
                                     [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
                                       emulate_phase_wgmma_ws(d, g, t, A, B, bias, C, seed, proto);
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

TEST(PhaseWgmmaWs, MultiTileAndEdgeShapesMatchOracleInManyInterleavings) {
  std::mt19937_64 rng(95);
  tc::check_multi_tile_and_edge_shapes<WsCfg>(
      rng, [&](const Problem& p, Direction d, DType t) { return emulate(p, d, t, rng); });
}

// A problem whose one block walks 3 rounds of the ring: 18 k-steps of 64 (9 taps x 128 channels).
Problem long_ring_problem() {
  Problem p = tc::small_tile_problem();
  p.c_in = p.c_out = 128;
  p.stride_h = p.stride_w = 1;
  return p;
}

// Whether some interleaving of the changed protocol goes wrong: a wrong result, a refilled
// stage under a running batch, or a deadlock.
std::string caught(const WsProtocol& proto) {
  std::mt19937_64 rng(96);
  for (int i = 0; i < 12; ++i) {
    try {
      const std::string why = emulate(long_ring_problem(), Direction::bwd_data, DType::f16, rng, proto);
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
  EXPECT_EQ(caught(patient_producer), "deadlock: producer at k-step 0, consumer 0 at k-step 0, consumer 1 at k-step 0 of 18");

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
