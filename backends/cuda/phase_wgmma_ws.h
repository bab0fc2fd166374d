// Kernel family v5b, phase_wgmma_ws: phase_wgmma (phase_wgmma.h) warp-specialised and
// persistent. The same problems, tiles, shared-memory layouts, wgmma and epilogue; one producer
// warpgroup issues every cp.async of a k-step into a ring of 6 stages and signals each stage's
// mbarrier as its copies land, while two consumer warpgroups only wait, multiply and release
// (wg_ws.h). One block per SM walks a share of the tiles (tc_tile.h's TileSchedule), the ring
// running on from tile to tile: the producer loads the next tile while the consumers store
// this one, which short-K layers (k == s: K = C_in) need. f16 and
// bf16, NHWC, fwd and bwd_data, compute capability 9.0; built only with CuTe's headers
// (TCONV_WITH_CUTLASS), otherwise it refuses every problem (phase_wgmma_unavailable.cpp). CPU
// proof: phase_wgmma_ws_emulator.h.
#pragma once

#include <cstdint>

#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

Status phase_wgmma_ws_refuses(Direction d, const ConvGeometry& g, DType t);
Status launch_phase_wgmma_ws(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                             CUstream_st* stream);
// The same kernel on at most max_blocks blocks (positive; the device's slots otherwise): a
// cap of one block per tile shows what persistence buys (tconv_phase_tc_bench's
// phase_wgmma_ws:tile_per_block), a cap of 3 gives small problems many tiles per block
// (PhaseWgmmaWsDevice).
Status launch_phase_wgmma_ws_on_grid(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                                     CUstream_st* stream, std::int64_t max_blocks);

}  // namespace tconv::cuda
