// Host emulator of the phase_wgmma_ws kernel (phase_wgmma_ws.cu), for the CPU tests. A
// persistent block's producer warpgroup, its copies landing, and its two consumer warpgroups
// run as separate actors over the block's tiles in a random interleaving (a seed per block),
// synchronised only through a model of the kernel's mbarriers and, per tile, the consumers'
// named barrier before the epilogue:
//   - MbarrierModel: init(count), arrive, try_wait.parity as the PTX ISA defines them;
//   - the producer issues a k-step once try_wait on the stage's empty barrier passes, one
//     cp.async group per producer thread (CpAsyncModel: destinations poisoned with NaN until
//     they land); the lander lands the oldest thread's group at any time and arrives for it
//     on the stage's full barrier (cp.async.mbarrier.arrive.noinc);
//   - a consumer warpgroup waits on the full barrier, takes its 64 x 128 x 64 product from the
//     stage through wg_tile.h's layouts (the stage must read the same when the batch retires,
//     MMA_IN_FLIGHT steps later), and releases the stage of the retired batch on the empty
//     barrier.
// The ring positions and the release rule are wg_ws.h's, the kernel's own. A protocol that
// lets a consumer read a stage before all of it landed, or lets the producer refill a stage
// still read, throws (the stage changed under a running batch) or yields NaN in the output;
// one that never completes a phase deadlocks, and the emulation throws with the actors'
// positions. The ring runs on from tile to tile, so a tile that keeps a stage shows up tiles
// later. The epilogue is for_each_wg_pair's.
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/cuda/phase_tc_emulator.h"
#include "backends/cuda/phase_wgmma_emulator.h"
#include "backends/cuda/wg_ws.h"

namespace tconv::cuda::wg {

// An mbarrier, for what the kernel uses: a phase completes when `count` arrivals have come;
// try_wait.parity(p) passes once the phase of parity p completed, i.e. while the current
// phase's parity differs from p.
class MbarrierModel {
 public:
  explicit MbarrierModel(int count) : count_(count), pending_(count) {}
  void arrive(int n) {
    for (int i = 0; i < n; ++i)
      if (--pending_ == 0) {
        ++completed_;
        pending_ = count_;
      }
  }
  bool passes(unsigned parity) const { return (completed_ & 1u) != parity; }

 private:
  int count_, pending_;
  unsigned completed_ = 0;
};

// The kernel's protocol; a test changes one part to show the emulation catches it.
struct WsProtocol {
  RingPos producer_start = ws_producer_start(), consumer_start = ws_consumer_start();
  int release_lag = kWsReleaseLag;
  int full_arrivals = WsCfg::FULL_ARRIVALS, empty_arrivals = WsCfg::EMPTY_ARRIVALS;
  bool release_at_tile_end = true;  // ws_tail_releases
};

// One block of the persistent kernel: its tiles in order (tc_tile.h's TileSchedule).
template <bool BKN, class View>
void emulate_ws_block(const View& v, DType t, const std::vector<tc::TcBlock>& tiles, const void* A, const void* B,
                      const void* bias, void* C, std::uint64_t seed, const WsProtocol& proto) {
  using S = WsCfg;
  constexpr int kWarpgroupThreads = S::MMA_THREADS / S::WARPGROUPS;
  const i64 N = v.n_count();
  const std::size_t count = tiles.size();
  auto steps_of = [&](std::size_t i) { return tc::tiles_of(tiles[i].part.k, S::BK); };
  tc::CpAsyncModel cp(t, static_cast<std::size_t>(S::STAGES) * S::STAGE_ELEMS, S::CHUNK);
  std::vector<MbarrierModel> full(S::STAGES, MbarrierModel(proto.full_arrivals));
  std::vector<MbarrierModel> empty(S::STAGES, MbarrierModel(proto.empty_arrivals));
  std::vector<float> acc(static_cast<std::size_t>(S::BM) * S::BN, 0.0f);  // both warpgroups' rows

  // The producer warpgroup: its tile, its k-step there, and the copies in flight (one cp.async
  // group per thread and k-step). A tile's producer state (K walk, row terms) is made when the
  // producer reaches it, as the kernel does after its named barrier.
  std::size_t pt = 0;
  i64 produced = 0;
  std::unique_ptr<tc::BlockProducer<BKN, S, View>> producer;
  auto reach_tile_with_steps = [&] {  // tiles without k-steps need nothing from the producer
    while (pt < count && produced == steps_of(pt)) ++pt, produced = 0, producer.reset();
    if (pt < count && !producer) producer = std::make_unique<tc::BlockProducer<BKN, S, View>>(v, tiles[pt]);
  };
  reach_tile_with_steps();
  RingPos w = proto.producer_start;
  std::deque<int> landing_stage;  // the stage of each committed group not yet landed, oldest first
  // One consumer warpgroup: its tile, its k-step there; at_barrier: waiting at the named
  // barrier before the tile's epilogue.
  struct Consumer {
    int wg = 0;
    std::size_t tile = 0;
    i64 kt = 0;
    RingPos r{}, released{};
    InFlightBatches<S> in_flight;
    bool at_barrier = false;
  };
  std::vector<Consumer> consumers;
  for (int wg = 0; wg < S::WARPGROUPS; ++wg) {
    Consumer c;
    c.wg = wg;
    c.r = c.released = proto.consumer_start;
    consumers.push_back(c);
  }

  auto produce = [&] {
    for (int tid = 0; tid < S::LOAD_THREADS; ++tid) {
      producer->issue_thread(produced, w.stage, tid, cp);
      cp.commit();
      landing_stage.push_back(w.stage);
    }
    w = ring_next(w);
    ++produced;
    reach_tile_with_steps();
  };
  auto land_oldest = [&] {
    const int in_flight = static_cast<int>(landing_stage.size());
    cp.wait(in_flight - 1, A, B);  // all but the newest in_flight - 1 groups: the oldest lands
    full[landing_stage.front()].arrive(1);
    landing_stage.pop_front();
  };
  auto release = [&](Consumer& c) {
    empty[c.released.stage].arrive(kWarpgroupThreads);
    c.released = ring_next(c.released);
  };
  // Once both warpgroups wait at the named barrier: the tile's epilogue (each stores its own
  // rows, from registers), then both go on to the next tile.
  auto pass_barrier = [&] {
    const tc::TcBlock& blk = tiles[consumers[0].tile];
    std::vector<i64> c_rows(S::BM), c_cols(S::BN);
    for (int term = 0; term < S::BM + S::BN; ++term) tc::fill_c_terms(v, blk, term, c_rows.data(), c_cols.data());
    emulate_wg_epilogue(v, t, blk, c_rows, c_cols, acc, bias, C);
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (Consumer& c : consumers) c.at_barrier = false, ++c.tile, c.kt = 0;
  };
  auto consume = [&](Consumer& c) {
    const i64 steps = steps_of(c.tile);
    if (c.kt == steps) {  // wgmma.wait_group 0, the last stages released, then the named barrier
      c.in_flight.retire_to(cp.smem, 0);
      if (proto.release_at_tile_end)
        for (i64 i = 0; i < ws_tail_releases(steps); ++i) release(c);
      c.at_barrier = true;
      bool all = true;
      for (const Consumer& o : consumers) all = all && o.at_barrier;
      if (all) pass_barrier();
      return;
    }
    emulate_wg_product<BKN, S>(t, cp.smem, c.r.stage, tiles[c.tile], N, c.wg * S::WG_ROWS, (c.wg + 1) * S::WG_ROWS,
                               acc);
    c.in_flight.issued(cp.smem, c.r.stage);
    c.in_flight.retire_to(cp.smem, S::MMA_IN_FLIGHT);
    if (c.kt >= proto.release_lag) release(c);
    c.r = ring_next(c.r);
    ++c.kt;
  };

  std::mt19937_64 rng(seed);
  for (;;) {
    // The actors that can move now: 0 the producer, 1 the lander, 2 + wg a consumer.
    std::vector<int> ready;
    if (pt < count && empty[w.stage].passes(w.parity)) ready.push_back(0);
    if (!landing_stage.empty()) ready.push_back(1);
    for (const Consumer& c : consumers)
      if (c.tile < count && !c.at_barrier && (c.kt == steps_of(c.tile) || full[c.r.stage].passes(c.r.parity)))
        ready.push_back(2 + c.wg);
    if (ready.empty()) {
      bool all_done = pt == count;
      std::string where = "producer at tile " + std::to_string(pt) + " k-step " + std::to_string(produced);
      for (const Consumer& c : consumers) {
        all_done = all_done && c.tile == count;
        where += ", consumer " + std::to_string(c.wg) + " at tile " + std::to_string(c.tile) + " k-step " +
                 std::to_string(c.kt);
      }
      if (all_done) break;
      throw std::logic_error("deadlock: " + where + " (tiles of " + std::to_string(count) + ")");
    }
    const int actor = ready[std::uniform_int_distribution<std::size_t>(0, ready.size() - 1)(rng)];
    if (actor == 0)
      produce();
    else if (actor == 1)
      land_oldest();
    else
      consume(consumers[actor - 2]);
  }
  // The producer's cp.async.wait_all: nothing is in flight when the block ends.
  while (!landing_stage.empty()) land_oldest();
}

// The whole of launch_phase_wgmma_ws on host buffers (as emulate_phase_wgmma) with a grid of
// `blocks` persistent blocks (0: one block per tile), each in its own random interleaving
// drawn from `seed`.
inline void emulate_phase_wgmma_ws(Direction d, const ConvGeometry& g, DType t, const void* in, const void* w,
                                   const void* bias, void* out, std::uint64_t seed = 1,
                                   const WsProtocol& proto = WsProtocol{}, i64 blocks = 2) {
  std::mt19937_64 seeds(seed);
  with_wg_view(d, g, bias, [&](const auto& v, auto bkn, const void* b) {
    const tc::TileSchedule sched = tc::tile_schedule(v);
    const i64 grid = blocks > 0 ? tc::persistent_blocks(sched.tiles, blocks) : sched.tiles;
    for (i64 block = 0; block < grid; ++block) {
      std::vector<tc::TcBlock> tiles;
      for (i64 tile = block; tile < sched.tiles; tile += grid) tiles.push_back(tc::scheduled_tile(v, sched, tile));
      emulate_ws_block<decltype(bkn)::value>(v, t, tiles, in, w, b, out, seeds(), proto);
    }
  });
}

}  // namespace tconv::cuda::wg
