#include "backends/cuda/cost_model.h"

#include <algorithm>

#include "backends/cuda/bias_reduce.h"
#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/depthwise.h"
#include "backends/cuda/depthwise_wgrad.h"
#include "backends/cuda/dispatch.h"
#include "backends/cuda/gather.h"
#include "backends/cuda/mma_tile.h"
#include "backends/cuda/mma_views.h"
#include "backends/cuda/taps.h"
#include "backends/cuda/tc_tile.h"
#include "backends/cuda/wg_tile.h"

namespace tconv::cuda {

using mma::kTileM;
using mma::kTileN;
using mma::MmaTile;
using mma::Part;
using mma::PhaseFwdView;
using mma::SimtTile;

namespace {

double round_up(double v, double q) { return q * static_cast<double>(static_cast<std::int64_t>((v + q - 1) / q)); }

// (input line, tap) pairs of one axis whose output line lies in [0, out).
double landing_pairs(std::int64_t in, std::int64_t taps, std::int64_t stride, std::int64_t dil, std::int64_t crop,
                     std::int64_t out) {
  double pairs = 0;
  for (std::int64_t i = 0; i < in; ++i) {
    const Span s = span_in_range(i * stride - crop, dil, out, taps);
    if (s.hi >= s.lo) pairs += static_cast<double>(s.hi - s.lo + 1);
  }
  return pairs;
}

double numel_x(const ConvGeometry& g) { return static_cast<double>(g.n * g.c_in * g.h_in * g.w_in); }
double numel_y(const ConvGeometry& g) { return static_cast<double>(g.n * g.c_out * g.h_out * g.w_out); }
double numel_w(const ConvGeometry& g) { return static_cast<double>(g.c_in * g.cog() * g.kh * g.kw); }

// Flops the 64 x 64-tile implicit GEMM executes: whole tiles, whole k-steps.
double padded_gemm(double groups, double m, double n, double k, double bm, double bn, double bk) {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  return 2 * groups * round_up(m, bm) * round_up(n, bn) * round_up(k, bk);
}

constexpr double kSimt128Tile = 128, kSimt128K = 8;  // simt128_tile.h's block tile and k-step
double k_step(DType t) { return t == DType::f32 ? SimtTile::BK : MmaTile::BK; }

// The stride-phase implicit GEMM's padded flops with bm x bn x bk tiles: fwd one GEMM per
// phase (its own M and K), bwd_data one GEMM over every input pixel.
double phase_gemm_work(Direction d, const ConvGeometry& g, double bm, double bn, double bk) {
  const double groups = static_cast<double>(g.groups);
  if (d != Direction::fwd) return padded_gemm(groups, numel_x(g) / g.c_in, g.cig(), g.kh * g.kw * g.cog(), bm, bn, bk);
  double work = 0;
  const PhaseFwdView v{g};
  for (std::int64_t z = 0; z < v.parts(); ++z) {
    const Part p = v.part(z);
    work += padded_gemm(groups, p.m, g.cog(), p.k, bm, bn, bk);
  }
  return work;
}

}  // namespace

double useful_macs(Direction d, const ConvGeometry& g) {
  if (d == Direction::bwd_bias) return numel_y(g);
  return static_cast<double>(g.n * g.c_in * g.cog()) *
         landing_pairs(g.h_in, g.kh, g.stride_h, g.dil_h, g.crop_top, g.h_out) *
         landing_pairs(g.w_in, g.kw, g.stride_w, g.dil_w, g.crop_left, g.w_out);
}

double minimal_bytes(Direction d, const ConvGeometry& g, DType t) {
  double elements = 0;
  switch (d) {
    case Direction::fwd: elements = numel_x(g) + numel_w(g) + numel_y(g) + g.c_out; break;
    case Direction::bwd_data: elements = numel_y(g) + numel_w(g) + numel_x(g); break;
    case Direction::bwd_weights: elements = numel_x(g) + numel_y(g) + numel_w(g); break;
    case Direction::bwd_bias: elements = numel_y(g) + g.c_out; break;
  }
  return elements * static_cast<double>(dtype_size(t));
}

FamilyWork family_work(Family f, Direction d, const ConvGeometry& g, DType t) {
  FamilyWork w;
  w.bytes_min = minimal_bytes(d, g, t);
  const double groups = static_cast<double>(g.groups);
  switch (f) {
    case Family::gather:
      w.work = useful_macs(d, g);
      switch (d) {
        case Direction::fwd: w.threads = numel_y(g); break;
        case Direction::bwd_data: w.threads = numel_x(g); break;
        case Direction::bwd_weights: w.threads = numel_w(g); break;
        case Direction::bwd_bias: w.threads = static_cast<double>(g.c_out) * kGatherThreads; break;
      }
      break;
    case Family::depthwise:
      w.work = useful_macs(d, g);
      w.threads = (d == Direction::fwd ? numel_y(g) : numel_x(g)) / kDepthwiseVec;
      break;
    case Family::small_cout:
      w.work = useful_macs(d, g);
      w.threads = numel_y(g) / static_cast<double>(g.c_out);
      break;
    case Family::phase_gemm: w.work = phase_gemm_work(d, g, kTileM, kTileN, k_step(t)); break;
    case Family::phase_tc: w.work = phase_gemm_work(d, g, tc::TcTile::BM, tc::TcTile::BN, tc::TcTile::BK); break;
    case Family::phase_wgmma:
    case Family::phase_wgmma_ws: w.work = phase_gemm_work(d, g, wg::WgCfg::BM, wg::WgCfg::BN, wg::WgCfg::BK); break;
    case Family::phase_tc_tf32:
      w.work = phase_gemm_work(d, g, tc::TcTf32::BM, tc::TcTf32::BN, tc::TcTf32::BK);
      break;
    case Family::phase_simt128: w.work = phase_gemm_work(d, g, kSimt128Tile, kSimt128Tile, kSimt128K); break;
    case Family::wgrad_simt128:
      w.work = padded_gemm(groups, g.cig(), g.cog() * g.kh * g.kw, numel_x(g) / g.c_in, kSimt128Tile, kSimt128Tile,
                           kSimt128K);
      break;
    case Family::k_equals_s: {
      const double m = static_cast<double>(g.n * g.h_in * g.w_in), taps = static_cast<double>(g.kh * g.kw);
      w.work = d == Direction::fwd ? padded_gemm(groups, m, g.cog() * taps, g.cig(), kTileM, kTileN, k_step(t))
                                   : padded_gemm(groups, m, g.cig(), g.cog() * taps, kTileM, kTileN, k_step(t));
      break;
    }
    case Family::bias_reduce: {
      const BiasPlan p = plan_bias_reduce(g);
      w.work = useful_macs(d, g);
      w.threads = static_cast<double>(p.blocks()) * kBiasThreads;
      break;
    }
    case Family::depthwise_wgrad:
      w.work = useful_macs(d, g);
      w.threads = static_cast<double>(plan_depthwise_wgrad(g).threads());
      break;
    case Family::bwd_weights_gemm:
      w.work = padded_gemm(groups, g.cig(), g.cog() * g.kh * g.kw, numel_x(g) / g.c_in, kWgradBM,
                           kWgradBN, kWgradBK);
      break;
  }
  return w;
}

std::string precision_class(DType t) { return t == DType::f16 || t == DType::bf16 ? "f16" : "f32"; }

double predict_ms(const Coefficients& c, const FamilyWork& w, double copy_gbps, double resident_threads) {
  double body = w.threads * c.ns_per_thread * 1e-6;
  if (c.gwork_per_s > 0) body += w.work / (c.gwork_per_s * 1e6);
  if (w.threads > 0 && resident_threads > w.threads) body *= resident_threads / w.threads;
  const double ms = c.launch_us * 1e-3 + body;
  const double floor_ms = copy_gbps > 0 ? w.bytes_min / (copy_gbps * 1e6) : 0;
  return std::max(ms, floor_ms);
}

}  // namespace tconv::cuda
