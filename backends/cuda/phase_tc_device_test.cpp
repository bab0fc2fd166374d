// phase_tc, phase_tc+tf32, phase_wgmma and phase_wgmma_ws on a real GPU (skipped without one;
// the wgmma families also without a Hopper GPU or a build with CuTe): the kernel's output
// equals the oracle's, exactly
// (integer data), on the random problems the CPU emulation checks, through the family's own
// launcher (it does not need the dispatcher to list the variant).
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <random>
#include <utility>

#include "backends/cuda/device_info.h"
#include "backends/cuda/device_memory.h"
#include "backends/cuda/mma_test_support.h"
#include "backends/cuda/phase_tc.h"
#include "backends/cuda/phase_wgmma.h"
#include "backends/cuda/phase_wgmma_ws.h"
#include "backends/testing/random_problem.h"

namespace tconv::cuda {
namespace {

using Launch = Status (*)(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*);

Status launch_tc(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops, CUstream_st* s) {
  return t == DType::f32 ? launch_phase_tc_tf32(d, g, t, ops, s) : launch_phase_tc(d, g, t, ops, s);
}

// Host buffers in, device launch, host buffer out: the callback check_against_oracle expects.
std::string run_on_device(const Problem& p, Direction d, DType t, std::mt19937_64& rng, Launch launch = launch_tc) {
  std::string error;
  const std::string diff = mma::check_against_oracle(
      p, d, t, rng, [&](const ConvGeometry& g, const void* A, const void* B, const void* bias, void* C) {
        const bool fwd = d == Direction::fwd;
        const std::int64_t e = t == DType::f32 ? 4 : 2;
        const std::size_t x = g.n * g.c_in * g.h_in * g.w_in * e, y = g.n * g.c_out * g.h_out * g.w_out * e;
        const std::size_t w = g.c_in * g.cog() * g.kh * g.kw * e, b = g.c_out * e;
        DeviceBuffer da, db, dbias, dc;
        const std::pair<DeviceBuffer*, std::size_t> sizes[] = {{&da, fwd ? x : y}, {&db, w}, {&dbias, b}, {&dc, fwd ? y : x}};
        for (const auto& [buf, bytes] : sizes)
          if (Status s = buf->allocate(bytes); !s.ok()) error = s.message;
        if (!error.empty()) return;
        cudaMemcpy(da.get(), A, da.bytes(), cudaMemcpyHostToDevice);
        cudaMemcpy(db.get(), B, db.bytes(), cudaMemcpyHostToDevice);
        if (bias) cudaMemcpy(dbias.get(), bias, dbias.bytes(), cudaMemcpyHostToDevice);
        cudaMemset(dc.get(), 0xFF, dc.bytes());  // NaN in every dtype: an unwritten output fails
        DeviceOperands ops;
        ops.w = db.get();
        if (fwd) {
          ops.x = da.get();
          ops.b = bias ? dbias.get() : nullptr;
          ops.y = dc.get();
        } else {
          ops.dy = da.get();
          ops.dx = dc.get();
        }
        const Status s = launch(d, g, t, ops, nullptr);
        if (!s.ok()) error = s.message;
        if (cudaError_t e = cudaDeviceSynchronize(); e != cudaSuccess) error = cudaGetErrorString(e);
        cudaMemcpy(C, dc.get(), dc.bytes(), cudaMemcpyDeviceToHost);
      });
  return error.empty() ? diff : error;
}

// Random problems the tile families accept, a quarter of them wide (up to 144 channels per
// group: several N tiles and k-steps past the ring of stages).
Problem random_tile_problem(std::mt19937_64& rng, int i) {
  std::uniform_int_distribution<std::int64_t> blocks(1, 3), wide(1, 18);
  const bool big = i % 4 == 0;
  Problem p = crosscheck::random_problem(rng, big ? crosscheck::RandomProblemLimits{2, 1, 2, 12, 4, 3, 2}
                                                  : crosscheck::RandomProblemLimits{});
  p.layout = Layout::NHWC;
  p.c_in = p.groups * 8 * (big ? wide(rng) : blocks(rng));
  p.c_out = p.groups * 8 * (big ? wide(rng) : blocks(rng));
  return p;
}

TEST(PhaseTcDevice, MatchesOracleOnRandomAndMultiTileProblems) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  std::mt19937_64 rng(61);
  for (int i = 0; i < 60; ++i) {
    const Problem p = random_tile_problem(rng, i);
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      for (DType t : {DType::f16, DType::bf16, DType::f32}) EXPECT_EQ(run_on_device(p, d, t, rng), "") << to_repro(p);
  }
}

// The wgmma families on 60 random and multi-tile problems, fwd and bwd_data, f16 and bf16;
// skipped on any GPU but compute capability 9.0.
void check_wgmma_family(Launch launch, std::uint64_t seed) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  if (!phase_wgmma_built()) GTEST_SKIP() << "built without CuTe (TCONV_WITH_CUTLASS=OFF)";
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 60; ++i) {
    const Problem p = random_tile_problem(rng, i);
    for (Direction d : {Direction::fwd, Direction::bwd_data})
      for (DType t : {DType::f16, DType::bf16}) {
        const std::string why = run_on_device(p, d, t, rng, launch);
        if (why.find("needs a Hopper GPU") != std::string::npos) GTEST_SKIP() << why;
        EXPECT_EQ(why, "") << to_repro(p);
      }
  }
}

TEST(PhaseWgmmaDevice, MatchesOracleOnRandomAndMultiTileProblems) { check_wgmma_family(launch_phase_wgmma, 62); }
TEST(PhaseWgmmaWsDevice, MatchesOracleOnRandomAndMultiTileProblems) { check_wgmma_family(launch_phase_wgmma_ws, 63); }
// The persistent kernel on 3 blocks: these problems have far fewer tiles than the device has
// SMs, so only a small grid makes a block walk several tiles (and the ring run on across them).
Status launch_ws_on_three_blocks(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                                 CUstream_st* stream) {
  return launch_phase_wgmma_ws_on_grid(d, g, t, ops, stream, 3);
}
TEST(PhaseWgmmaWsDevice, MatchesOracleWithManyTilesPerBlock) { check_wgmma_family(launch_ws_on_three_blocks, 64); }

}  // namespace
}  // namespace tconv::cuda
